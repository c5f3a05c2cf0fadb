package io.mcpcrew.crew.web.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonRpcPeekTest {
    private static JsonRpcPeek peek(String json) {
        return JsonRpcPeek.of(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aToolCallsArgumentsAreTheClientsOwnText() {
        String args = "{\"model\":\"m\",\"items\":[{\"text\":\"é\\u00e9\",\"vector\":[-0.0, 1E+39,0.1000000015]}],\"x\":{}}";
        JsonRpcPeek p = peek("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"store_embeddings\","
                + "\"arguments\":" + args + ",\"_meta\":{\"progressToken\":1}}}");
        assertEquals("tools/call", p.method());
        assertEquals(7L, p.id());
        assertEquals("7", p.idText());
        assertEquals(args, p.arguments());
    }

    @Test
    void fieldsAreFoundInAnyOrder() {
        JsonRpcPeek p = peek("{\"params\":{\"requestId\":\"abc-1\",\"reason\":\"x\"},\"method\":\"notifications/cancelled\","
                + "\"jsonrpc\":\"2.0\"}");
        assertEquals("notifications/cancelled", p.method());
        assertNull(p.id());
        assertEquals("abc-1", p.requestId());
        JsonRpcPeek numeric = peek("{\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":12}}");
        assertEquals("12", numeric.requestId());
        JsonRpcPeek sub = peek("{\"id\":\"s-1\",\"params\":{\"uri\":\"crew://tenants/a/streams/b\"},\"method\":\"resources/subscribe\"}");
        assertEquals("s-1", sub.id());
        assertEquals("crew://tenants/a/streams/b", sub.uri());
        assertNull(sub.arguments());
    }

    @Test
    void anythingElseIsNone() {
        assertEquals(JsonRpcPeek.NONE, peek("[{\"method\":\"ping\"}]"));
        assertEquals(JsonRpcPeek.NONE, peek("{\"method\":"));
        assertEquals(JsonRpcPeek.NONE, peek(""));
        assertEquals(JsonRpcPeek.NONE, peek("42"));
        // a response to the server: no method
        JsonRpcPeek response = peek("{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{}}");
        assertNull(response.method());
        assertEquals(3L, response.id());
    }
}
