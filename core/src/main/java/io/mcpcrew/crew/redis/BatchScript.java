package io.mcpcrew.crew.redis;

/**
 * A Lua script that decides one item per run or several in one run, in order: item {@code i} has
 * {@code keysPerItem} keys ({@code KEYS[(i-1)*keysPerItem + 1 ..]}) and its arguments next in {@code ARGV} —
 * {@code argsPerItem} of them, or, for a script with variable arguments ({@link #VARIABLE}), their count first and
 * then them. It answers {@code repliesPerItem} replies per item, in order, then {@code sharedReplies} that belong
 * to every item (e.g. the server time of the run). An item that failed answers its error message (a string) as its
 * first reply: one item's error never fails the others.
 *
 * <p>Run it with {@link RedisManager#evalItem}: alone it is one EVALSHA with one item; concurrent calls of the same
 * script are merged into one EVALSHA with many items (standalone and Sentinel; on Cluster each call runs alone,
 * since the items' keys may hash to different slots). Merging saves the fixed costs of a script run (EVALSHA,
 * {@code TIME}, the reply) that dominate short scripts.
 */
public final class BatchScript {
    /** {@code argsPerItem} of a script whose items carry their argument count first. */
    public static final int VARIABLE = -1;

    private final LuaScript script;
    private final int keysPerItem;
    private final int argsPerItem;
    private final int repliesPerItem;
    private final int sharedReplies;
    private final boolean sharedArgs;

    public BatchScript(LuaScript script, int keysPerItem, int argsPerItem, int repliesPerItem, int sharedReplies) {
        this(script, keysPerItem, argsPerItem, repliesPerItem, sharedReplies, false);
    }

    /**
     * With {@code sharedArgs}, the script also takes exactly {@code argsPerItem} arguments for any number of items,
     * meaning every item has them; a merged run whose items all have the same arguments then sends them once
     * (each argument is a string the script must build: sending the same ones per item costs it per item).
     */
    public BatchScript(LuaScript script, int keysPerItem, int argsPerItem, int repliesPerItem, int sharedReplies,
            boolean sharedArgs) {
        if (keysPerItem < 1 || argsPerItem < VARIABLE || repliesPerItem < 1 || sharedReplies < 0) {
            throw new IllegalArgumentException("keysPerItem and repliesPerItem must be >= 1, argsPerItem >= 0 or "
                    + "VARIABLE, sharedReplies >= 0");
        }
        if (sharedArgs && argsPerItem < 1) {
            throw new IllegalArgumentException("shared arguments need a fixed argsPerItem >= 1");
        }
        this.sharedArgs = sharedArgs;
        this.script = script;
        this.keysPerItem = keysPerItem;
        this.argsPerItem = argsPerItem;
        this.repliesPerItem = repliesPerItem;
        this.sharedReplies = sharedReplies;
    }

    public LuaScript script() {
        return script;
    }

    public int keysPerItem() {
        return keysPerItem;
    }

    public int argsPerItem() {
        return argsPerItem;
    }

    public boolean variableArgs() {
        return argsPerItem == VARIABLE;
    }

    public int repliesPerItem() {
        return repliesPerItem;
    }

    public int sharedReplies() {
        return sharedReplies;
    }

    /** True if a merged run whose items all have the same arguments may send them once (see the constructor). */
    public boolean sharedArgs() {
        return sharedArgs;
    }

    /**
     * The ARGV of one item run alone (its arguments, after their count for a {@link #VARIABLE} script), once its keys
     * and arguments are checked against the declared shape.
     */
    java.util.List<byte[]> argv(java.util.List<byte[]> keys, java.util.List<byte[]> args) {
        if (keys.size() != keysPerItem || (!variableArgs() && args.size() != argsPerItem)) {
            throw new IllegalArgumentException(this + " takes " + keysPerItem + " keys and "
                    + (variableArgs() ? "any number of" : String.valueOf(argsPerItem)) + " arguments per item, not "
                    + keys.size() + " and " + args.size());
        }
        if (!variableArgs()) {
            return args;
        }
        java.util.List<byte[]> argv = new java.util.ArrayList<>(args.size() + 1);
        appendArgs(argv, args);
        return argv;
    }

    /** The ARGV part of one item: its arguments, after their count for a {@link #VARIABLE} script. */
    void appendArgs(java.util.List<byte[]> out, java.util.List<byte[]> args) {
        if (variableArgs()) {
            out.add(String.valueOf(args.size()).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        out.addAll(args);
    }

    @Override
    public String toString() {
        return script.toString();
    }
}
