package io.mcpcrew.crew.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class MasterNodesTest {

    @Test
    void theMastersOfClusterNodesAreThoseServingSlotsAndNotFailed() {
        String nodes = String.join("\n",
                "e7d1 127.0.0.1:30003@40003 master - 0 1700000000000 3 connected 10923-16383",
                "67ed 127.0.0.1:30001@40001,host-a myself,master - 0 0 1 connected 0-5460",
                "292f 127.0.0.1:30004@40004 slave 67ed 0 1700000000000 1 connected",
                "824f 127.0.0.1:30002@40002 master,fail - 1700000000000 1700000000000 2 disconnected 5461-10922",
                "9a0c 127.0.0.1:30005@40005 master - 0 1700000000000 4 connected",
                "aa11 127.0.0.1:30006@40006 master,fail? - 0 1700000000000 5 connected 5461-10922",
                "");
        assertEquals(List.of("127.0.0.1:30001", "127.0.0.1:30003", "127.0.0.1:30006"), MasterNodes.parseMasters(nodes));
    }
}
