// FastRTC's client protocol, written the way FastRTC's docs tell custom front ends to connect
// (userguide/api.md): a plain RTCPeerConnection without ICE servers, the local tracks, a data
// channel named "text", and the offer POSTed as {sdp, type: "offer", webrtc_id} to /webrtc/offer.
// ICE candidates are trickled to the same route as {type: "ice-candidate", candidate, webrtc_id}.

export function randomId() {
  return Math.random().toString(36).substring(2);
}

async function post(url, body) {
  const response = await fetch(url, {
    method: "POST",
    headers: {"Content-Type": "application/json"},
    body: JSON.stringify(body),
  });
  return response.json();
}

function timeout(ms, what) {
  return new Promise((_, reject) => setTimeout(() => reject(new Error("timed out waiting for " + what)), ms));
}

function waitFor(target, event, ready, what, ms) {
  if (ready()) {
    return Promise.resolve();
  }
  const reached = new Promise((resolve, reject) => {
    const check = () => {
      if (ready()) {
        target.removeEventListener(event, check);
        resolve();
      }
    };
    target.addEventListener(event, check);
  });
  return Promise.race([reached, timeout(ms, what)]);
}

/**
 * Connects to a FastRTC stream and resolves once the peer connection is connected and the data
 * channel is open.
 *
 * options: offerUrl (e.g. "/webrtc/offer"), webrtcId (default random), media (a MediaStream whose
 * tracks are sent, or null), receive ("video"/"audio" adds a receive-only transceiver, for receive
 * mode), onTrack(stream), onMessage(raw, parsed), timeoutMs (default 10000).
 *
 * Returns {pc, channel, webrtcId, answer, candidates} where candidates is a promise of the server's
 * replies to the trickled candidates, settled once ICE gathering is complete.
 */
export async function connect(options) {
  const webrtcId = options.webrtcId || randomId();
  const timeoutMs = options.timeoutMs || 10000;
  const pc = new RTCPeerConnection();
  if (options.media) {
    for (const track of options.media.getTracks()) {
      pc.addTrack(track, options.media);
    }
  }
  if (options.receive) {
    pc.addTransceiver(options.receive, {direction: "recvonly"});
  }
  pc.addEventListener("track", event => {
    if (options.onTrack) {
      options.onTrack(event.streams[0] || new MediaStream([event.track]));
    }
  });
  const channel = pc.createDataChannel("text");
  channel.addEventListener("message", event => {
    let parsed;
    try {
      parsed = JSON.parse(event.data);
    } catch (e) {
      parsed = event.data;
    }
    if (options.onMessage) {
      options.onMessage(event.data, parsed);
    }
  });

  // Candidates gathered before the server knows this webrtc_id would be refused with
  // "unknown_connection", so they wait for the answer.
  let answered = false;
  const pending = [];
  const replies = [];
  const sendCandidate = candidate => {
    replies.push(post(options.offerUrl, {candidate: candidate.toJSON(), webrtc_id: webrtcId, type: "ice-candidate"}));
  };
  const gathered = new Promise(resolve => {
    pc.addEventListener("icecandidate", event => {
      if (!event.candidate) {
        resolve();
      } else if (answered) {
        sendCandidate(event.candidate);
      } else {
        pending.push(event.candidate);
      }
    });
  });

  await pc.setLocalDescription(await pc.createOffer());
  const answer = await post(options.offerUrl, {sdp: pc.localDescription.sdp, type: "offer", webrtc_id: webrtcId});
  if (answer.status === "failed") {
    pc.close();
    throw new Error("the server refused the offer: " + JSON.stringify(answer.meta));
  }
  await pc.setRemoteDescription(answer);
  answered = true;
  pending.splice(0).forEach(sendCandidate);

  await waitFor(pc, "connectionstatechange", () => pc.connectionState === "connected", "the connection", timeoutMs);
  await waitFor(channel, "open", () => channel.readyState === "open", "the data channel", timeoutMs);
  return {
    pc,
    channel,
    webrtcId,
    answer,
    candidates: gathered.then(() => Promise.all(replies)),
  };
}
