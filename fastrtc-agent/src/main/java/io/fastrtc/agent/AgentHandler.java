package io.fastrtc.agent;

import io.fastrtc.turn.ReplyOnPause;

/** {@link ReplyOnPause} with an agent's replies that makes the agent forget each connection as it ends. */
final class AgentHandler extends ReplyOnPause {

    private final VoiceAgent agent;

    AgentHandler(VoiceAgent agent) {
        super(agent);
        this.agent = agent;
    }

    private AgentHandler(AgentHandler prototype) {
        super(prototype);
        this.agent = prototype.agent;
    }

    @Override
    public ReplyOnPause copy() {
        return new AgentHandler(this);
    }

    @Override
    public void shutdown() {
        String id = attached() ? context().webrtcId() : null;
        super.shutdown();
        if (id != null) {
            agent.forget(id);
        }
    }
}
