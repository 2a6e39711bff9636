package io.fastrtc.transport;

/** A request that breaks the wire protocol; carries the HTTP status and FastRTC-style error code to answer with. */
public class ProtocolException extends Exception {

    private final int status;
    private final String code;

    public ProtocolException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The reply a client gets for this error. */
    public HttpReply reply() {
        return HttpReply.failed(status, code, getMessage());
    }
}
