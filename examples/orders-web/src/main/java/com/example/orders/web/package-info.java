/**
 * The orders application's own HTTP API ({@code /orders/api}, beside Crew's {@code /crew/api} in the same EAR):
 * {@link com.example.orders.web.OrderResource} answers an order's status to a caller of its tenant (MicroProfile
 * JWT, the token's {@code tenant} claim), each read bounded by MicroProfile Fault Tolerance.
 */
package com.example.orders.web;
