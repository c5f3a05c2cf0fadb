package io.mcpcrew.crew.web.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mcpcrew.crew.validation.InvalidInputException;
import org.junit.jupiter.api.Test;

class CallerTest {
    private static final String CLAIM = "tenant";
    private static final String ADMINS = "crew-admin";

    @Test
    void aTenantsTokenActsOnItsOwnTenantOnly() {
        Caller acme = new Caller("iss", "alice", "acme", false);
        assertEquals("acme", acme.tenantFor(null, CLAIM, ADMINS));
        assertEquals("acme", acme.tenantFor("acme", CLAIM, ADMINS));
        Caller.TenantRefused other = assertThrows(Caller.TenantRefused.class, () -> acme.tenantFor("globex", CLAIM, ADMINS));
        assertEquals("this token is for tenant \"acme\", not \"globex\" (claim 'tenant'; group 'crew-admin' may act on any"
                + " tenant)", other.getMessage());
        InvalidInputException bad = assertThrows(InvalidInputException.class, () -> acme.tenantFor("a:b", CLAIM, ADMINS));
        assertEquals(true, bad.getMessage().startsWith("invalid tenant id \"a:b\": "), bad.getMessage());
        Caller none = new Caller("iss", "bob", null, false);
        assertThrows(Caller.TenantRefused.class, () -> none.tenantFor(null, CLAIM, ADMINS));
        assertThrows(Caller.TenantRefused.class, () -> none.tenantFor("acme", CLAIM, ADMINS));
    }

    @Test
    void anAdminTokenNamesTheTenantOfEachCall() {
        Caller ops = new Caller("iss", "ops", "ops", true);
        assertEquals("globex", ops.tenantFor("globex", CLAIM, ADMINS));
        InvalidInputException missing = assertThrows(InvalidInputException.class, () -> ops.tenantFor(null, CLAIM, ADMINS));
        assertEquals("field \"tenant\" is required: a token of the admin group 'crew-admin' names the tenant of each call",
                missing.getMessage());
    }

    @Test
    void sessionsBelongToOneIssuersSubjectAndCountUnderTheTenant() {
        assertEquals(new Caller("iss", "alice", "acme", false).owner(), new Caller("iss", "alice", "acme", false).owner());
        assertNotEquals(new Caller("iss", "alice", "acme", false).owner(), new Caller("other", "alice", "acme", false).owner());
        assertEquals(new Caller("iss", "alice", "acme", false).quotaKey(), new Caller("iss", "bob", "acme", false).quotaKey());
        assertNotEquals(new Caller("iss", "ops", "acme", true).quotaKey(), new Caller("iss", "bob", "acme", false).quotaKey());
    }
}
