package io.fastrtc.agent;

import io.fastrtc.turn.ReplyOnPause;

/** {@link ReplyOnPause} with an agent's replies that makes the agent forget each connection as it ends. */
final class AgentHandler extends ReplyOnPause {

    private final VoiceAgent agent;

    /** {@code configured}'s settings (built on {@code agent}) with the agent's forgetting. */
    AgentHandler(VoiceAgent agent, ReplyOnPause configured) {
        super(configured);
        this.agent = agent;
    }

    @Override
    public ReplyOnPause copy() {
        return new AgentHandler(agent, this);
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
