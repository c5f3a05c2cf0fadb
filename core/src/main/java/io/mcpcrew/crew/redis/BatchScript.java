package io.mcpcrew.crew.redis;

/**
 * A Lua script that decides one item per key and can decide several in one call: {@code KEYS[i]} with
 * {@code argsPerKey} arguments ({@code ARGV[(i-1)*argsPerKey + 1 ..]}), answered by {@code repliesPerKey} replies
 * per key, in order, then {@code sharedReplies} that belong to every key. An item that failed answers its error message (a string) as its first reply. Run it with
 * {@link RedisManager#evalForKey}: alone it is one EVALSHA with one key; concurrent calls of the same script are
 * merged into one EVALSHA with many keys (standalone and Sentinel; on Cluster each call runs alone).
 */
public final class BatchScript {
    private final LuaScript script;
    private final int argsPerKey;
    private final int repliesPerKey;
    private final int sharedReplies;

    /**
     * @param sharedReplies replies after the last key's that belong to every key (e.g. the server time of the run),
     *                      appended to each key's replies
     */
    public BatchScript(LuaScript script, int argsPerKey, int repliesPerKey, int sharedReplies) {
        if (argsPerKey < 0 || repliesPerKey < 1 || sharedReplies < 0) {
            throw new IllegalArgumentException("argsPerKey and sharedReplies must be >= 0, repliesPerKey >= 1");
        }
        this.script = script;
        this.argsPerKey = argsPerKey;
        this.repliesPerKey = repliesPerKey;
        this.sharedReplies = sharedReplies;
    }

    public LuaScript script() {
        return script;
    }

    public int argsPerKey() {
        return argsPerKey;
    }

    public int repliesPerKey() {
        return repliesPerKey;
    }

    public int sharedReplies() {
        return sharedReplies;
    }

    @Override
    public String toString() {
        return script.toString();
    }
}
