package io.mcpcrew.crew.sessions;

import io.mcpcrew.crew.redis.BatchScript;
import io.mcpcrew.crew.redis.LuaScript;
import io.mcpcrew.crew.redis.RedisManager;
import java.util.List;

/** The sessions' Lua scripts: each {@code .lua} resource beside this class, including the shared {@code lib.lua}. */
final class SessionScripts {
    static final LuaScript CREATE = load("create.lua");
    static final LuaScript TOUCH = load("touch.lua");
    static final LuaScript UPDATE_LUA = load("update.lua");
    /** Session hash and index keys, variable arguments, 2 replies (status, size) per update; merged when concurrent. */
    static final BatchScript UPDATE = new BatchScript(UPDATE_LUA, 2, BatchScript.VARIABLE, 2, 0);
    static final LuaScript DELETE = load("delete.lua");
    static final LuaScript PRUNE = load("prune.lua");
    static final LuaScript REGISTER = load("register.lua");
    static final List<LuaScript> ALL = List.of(CREATE, TOUCH, UPDATE_LUA, DELETE, PRUNE, REGISTER);

    private SessionScripts() {
    }

    static void registerAll(RedisManager redis) {
        ALL.forEach(redis::registerScript);
    }

    private static LuaScript load(String resource) {
        return LuaScript.fromResource(SessionScripts.class, resource);
    }
}
