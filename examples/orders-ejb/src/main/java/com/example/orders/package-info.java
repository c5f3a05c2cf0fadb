/**
 * An order pipeline written the way a user of Crew Redis writes one, in their own EJB module of their own EAR:
 *
 * <ol>
 *   <li>an {@code order.placed} event on the tenant's {@code orders} stream reaches
 *       {@link com.example.orders.OrderEvents} (a CDI observer, {@code @Observes @FromStream("orders")}), bridged by
 *       {@link com.example.orders.OrderStreams} (a {@code @Singleton @Startup} bean);</li>
 *   <li>{@link com.example.orders.OrderService} (a {@code @Stateless} bean using RedisManager, TaskQueues and
 *       EventManager) keeps the order in Redis and enqueues a {@code price-order} task on the {@code orders}
 *       queue;</li>
 *   <li>{@link com.example.orders.PriceOrderHandler}, a {@code NamedTaskHandler} bean, is run by Crew's built-in
 *       supervisor on that queue only, each call bounded by MicroProfile Fault Tolerance ({@code @Timeout},
 *       {@code @Bulkhead}); it enqueues a {@code ship-order} task on the {@code shipping} queue;</li>
 *   <li>{@link com.example.orders.ShippingWorkers} (a {@code @Singleton @Startup} bean) runs its own worker on
 *       {@code shipping} on the server's {@code ManagedExecutorService}, with a handler the supervisor does not
 *       know ({@link com.example.orders.ShipOrder}, not a CDI bean).</li>
 * </ol>
 *
 * The tenants served come from MicroProfile Config, {@code orders.tenants} (default {@code acme}).
 */
package com.example.orders;
