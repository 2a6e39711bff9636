"""Baseline for the load benchmark: FastRTC's offer route on aiortc, the engine FastRTC is built on.

    /usr/bin/python3 aiortc_server.py video|audio

POST /webrtc/offer takes FastRTC's JSON ({sdp, type, webrtc_id}) and answers {sdp, type}. The work is
FastRTC's: each video frame is decoded to a bgr24 ndarray, flipped with np.flipud and re-encoded (what
FastRTC's VideoCallback does around a handler); audio frames go to an int16 ndarray and back (what its
StreamHandler round trip does) and are echoed. Listens on 127.0.0.1 on a free port and prints
"BENCH-SERVER-READY port=N" once listening; POST /bench/stop exits. Uses aiortc's default codecs
(VP8 first), no ICE servers (only host candidates: the benchmark runs in a private namespace).
"""

import asyncio
import fractions
import signal
import sys

import numpy as np
from aiohttp import web
from aiortc import MediaStreamTrack, RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from av import AudioFrame, VideoFrame

READY = "BENCH-SERVER-READY port="


class FlipTrack(MediaStreamTrack):
    kind = "video"

    def __init__(self, source):
        super().__init__()
        self.source = source

    async def recv(self):
        frame = await self.source.recv()
        array = np.flipud(frame.to_ndarray(format="bgr24"))
        out = VideoFrame.from_ndarray(np.ascontiguousarray(array), format="bgr24")
        out.pts = frame.pts
        out.time_base = frame.time_base
        return out


class EchoTrack(MediaStreamTrack):
    kind = "audio"

    def __init__(self, source):
        super().__init__()
        self.source = source

    async def recv(self):
        frame = await self.source.recv()
        array = frame.to_ndarray()
        out = AudioFrame.from_ndarray(array, format=frame.format.name, layout=frame.layout.name)
        out.sample_rate = frame.sample_rate
        out.pts = frame.pts
        out.time_base = frame.time_base or fractions.Fraction(1, frame.sample_rate)
        return out


def main():
    modality = sys.argv[1] if len(sys.argv) > 1 else "video"
    if modality not in ("video", "audio"):
        sys.exit("usage: aiortc_server.py video|audio (got %r)" % modality)
    connections = set()

    async def offer(request):
        body = await request.json()
        pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        connections.add(pc)

        @pc.on("connectionstatechange")
        async def on_state():
            if pc.connectionState in ("failed", "closed"):
                connections.discard(pc)
                await pc.close()

        @pc.on("track")
        def on_track(track):
            if track.kind == modality:
                pc.addTrack(FlipTrack(track) if modality == "video" else EchoTrack(track))

        await pc.setRemoteDescription(RTCSessionDescription(sdp=body["sdp"], type=body["type"]))
        await pc.setLocalDescription(await pc.createAnswer())
        return web.json_response({"sdp": pc.localDescription.sdp, "type": pc.localDescription.type})

    async def stop(request):
        asyncio.get_running_loop().call_later(0.1, lambda: signal.raise_signal(signal.SIGTERM))
        return web.Response(text="stopping")

    async def start():
        app = web.Application(client_max_size=1024 * 1024)
        app.router.add_post("/webrtc/offer", offer)
        app.router.add_post("/bench/stop", stop)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        print(READY + str(port), flush=True)
        stopped = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stopped.set)
        await stopped.wait()
        await asyncio.gather(*(pc.close() for pc in list(connections)), return_exceptions=True)
        await runner.cleanup()

    asyncio.run(start())


if __name__ == "__main__":
    main()
