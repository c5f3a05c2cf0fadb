package io.mcpcrew.crew.web.mcp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * What {@link McpGate} needs of a JSON-RPC message before the SDK reads it, in one streaming pass: its
 * {@code method}, its {@code id}, and of its {@code params} the {@code uri} (subscriptions), the {@code requestId}
 * (cancellations) and the {@code arguments} of a tool call as the exact text the client sent, so that the HTTP API's
 * reader sees the client's own numbers (a float32 {@code -0.0}, {@code 1E+39}) rather than a re-serialization.
 *
 * @param method    the method, or null (a response, or not a JSON-RPC object)
 * @param id        the id: a Long or a String, or null (a notification)
 * @param uri       {@code params.uri}, or null
 * @param requestId {@code params.requestId} as text, or null
 * @param arguments {@code params.arguments} as the client's JSON text, or null
 */
record JsonRpcPeek(String method, Object id, String uri, String requestId, String arguments) {
    private static final JsonFactory JSON = new JsonFactory();
    static final JsonRpcPeek NONE = new JsonRpcPeek(null, null, null, null, null);

    /** Peeks into {@code body}; malformed JSON or another JSON type: {@link #NONE} (the SDK answers it). */
    static JsonRpcPeek of(byte[] body) {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return NONE;
            }
            String method = null;
            Object id = null;
            String uri = null;
            String requestId = null;
            String arguments = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("method".equals(field) && value == JsonToken.VALUE_STRING) {
                    method = p.getText();
                } else if ("id".equals(field) && value == JsonToken.VALUE_STRING) {
                    id = p.getText();
                } else if ("id".equals(field) && value == JsonToken.VALUE_NUMBER_INT) {
                    id = p.getLongValue();
                } else if ("params".equals(field) && value == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String param = p.currentName();
                        JsonToken v = p.nextToken();
                        if ("uri".equals(param) && v == JsonToken.VALUE_STRING) {
                            uri = p.getText();
                        } else if ("requestId".equals(param) && (v == JsonToken.VALUE_STRING
                                || v == JsonToken.VALUE_NUMBER_INT)) {
                            requestId = p.getText();
                        } else if ("arguments".equals(param) && v == JsonToken.START_OBJECT) {
                            int start = (int) p.currentTokenLocation().getByteOffset();
                            p.skipChildren();
                            int end = (int) p.currentLocation().getByteOffset();
                            arguments = new String(body, start, end - start, StandardCharsets.UTF_8);
                        } else {
                            p.skipChildren();
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
            return new JsonRpcPeek(method, id, uri, requestId, arguments);
        } catch (IOException | RuntimeException e) {
            return NONE;
        }
    }

    /** The id as text, to name a call ({@code 7} and {@code "7"} name the same one). */
    String idText() {
        return id == null ? null : id.toString();
    }
}
