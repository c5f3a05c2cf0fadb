/**
 * Where every thread of the application comes from: {@link io.mcpcrew.crew.concurrency.CrewThreads}. In a Jakarta
 * EE container its threads are the server's ({@code java:comp/DefaultManagedThreadFactory}, and for periodic work
 * {@code java:comp/DefaultManagedScheduledExecutorService}); outside one they are daemon threads of the process.
 * Either way a thread is named {@code crew-<purpose>-<n>}. No other class of the application makes a thread or an
 * executor (a unit test reads the sources and names any that does).
 */
package io.mcpcrew.crew.concurrency;
