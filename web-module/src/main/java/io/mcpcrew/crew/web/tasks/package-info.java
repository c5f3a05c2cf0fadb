/**
 * The task queue's HTTP API: {@code /api/v1/tenants/{tenant}/queues/{queue}/...} (enqueue, task state, cancel,
 * statistics, pause/resume, dead letters and their retry) and {@code .../schedules/...} (recurring tasks: create or
 * replace, list, read, pause, resume, delete). See {@code docs/tasks.md}.
 */
package io.mcpcrew.crew.web.tasks;
