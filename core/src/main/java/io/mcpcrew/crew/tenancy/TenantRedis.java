package io.mcpcrew.crew.tenancy;

import io.mcpcrew.crew.redis.BatchScript;
import io.mcpcrew.crew.redis.DataType;
import io.mcpcrew.crew.redis.LuaScript;
import io.mcpcrew.crew.redis.PipelinedCall;
import io.mcpcrew.crew.redis.PipelinedWrite;
import io.mcpcrew.crew.redis.RedisCall;
import io.mcpcrew.crew.redis.RedisManager;
import io.mcpcrew.crew.redis.WriteKind;
import io.mcpcrew.crew.validation.Names;
import java.time.Duration;
import java.util.List;

/**
 * One tenant's view of Redis: its {@link TenantKeys} and script execution that refuses any key outside the
 * tenant's namespace, so a bug in a component cannot touch another tenant's data through a script.
 */
public final class TenantRedis {
    private final RedisManager manager;
    private final TenantKeys keys;

    /** Normally obtained from {@link RedisManager#forTenant}. */
    public TenantRedis(RedisManager manager, TenantKeys keys) {
        this.manager = manager;
        this.keys = keys;
    }

    public String tenant() {
        return keys.tenant();
    }

    public TenantKeys keys() {
        return keys;
    }

    public Duration ttl(DataType type) {
        return manager.ttl(type);
    }

    public <T> T execute(RedisCall<T> call) {
        return manager.execute(call);
    }

    /** {@link RedisManager#coalesce}: concurrent callers share round trips. */
    public <T> T coalesce(PipelinedCall<T> queued, RedisCall<T> direct) {
        return manager.coalesce(queued, direct);
    }

    /** {@link #eval} through {@link RedisManager#evalCoalesced}, keys checked likewise. */
    public Object evalCoalesced(LuaScript script, List<String> scriptKeys, List<String> args) {
        for (String k : scriptKeys) {
            requireOwned(k);
        }
        return manager.evalCoalesced(script, scriptKeys, args);
    }

    /** {@link RedisManager#evalItem} (text keys and arguments, UTF-8), keys checked likewise. */
    public List<Object> evalItem(BatchScript script, List<String> scriptKeys, List<String> args) {
        List<byte[]> k = new java.util.ArrayList<>(scriptKeys.size());
        for (String key : scriptKeys) {
            requireOwned(key);
            k.add(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        List<byte[]> a = new java.util.ArrayList<>(args.size());
        for (String arg : args) {
            a.add(arg.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return manager.evalItem(script, k, a);
    }

    /** EVALSHA with every key checked to belong to this tenant. */
    public Object eval(LuaScript script, List<String> scriptKeys, List<String> args) {
        for (String k : scriptKeys) {
            requireOwned(k);
        }
        return manager.eval(script, scriptKeys, args);
    }

    /** {@link RedisManager#evalReplicated}: a promised write, keys checked likewise. */
    public Object evalReplicated(LuaScript script, List<String> scriptKeys, List<String> args, WriteKind kind) {
        for (String k : scriptKeys) {
            requireOwned(k);
        }
        return manager.evalReplicated(script, scriptKeys, args, kind);
    }

    /** {@link RedisManager#executeReplicated}: plain write commands of {@code key}'s slot, the key checked. */
    public <T> T executeReplicated(String key, PipelinedWrite<T> queued, RedisCall<T> direct, WriteKind kind) {
        requireOwned(key);
        return manager.executeReplicated(key, queued, direct, kind);
    }

    public Object evalBinary(LuaScript script, List<byte[]> scriptKeys, List<byte[]> args) {
        for (byte[] k : scriptKeys) {
            requireOwned(new String(k, java.nio.charset.StandardCharsets.UTF_8));
        }
        return manager.evalBinary(script, scriptKeys, args);
    }

    private void requireOwned(String key) {
        if (!keys.owns(key)) {
            throw new IllegalArgumentException("key " + Names.quote(key) + " is outside tenant " + keys.tenant());
        }
    }
}
