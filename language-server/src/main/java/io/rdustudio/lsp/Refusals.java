package io.rdustudio.lsp;

import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;

/** The error responses of the {@code dfk/*} requests; lsp4j sends a thrown one as the answer. */
final class Refusals {

    private Refusals() {
    }

    /** The request cannot be answered as asked (InvalidParams, -32602): the message says why and what to do. */
    static ResponseErrorException invalid(String message) {
        return new ResponseErrorException(new ResponseError(ResponseErrorCode.InvalidParams, message, null));
    }

    /** The request was valid but its work failed (RequestFailed, -32803). */
    static ResponseErrorException failed(String message) {
        return new ResponseErrorException(new ResponseError(ResponseErrorCode.RequestFailed, message, null));
    }
}
