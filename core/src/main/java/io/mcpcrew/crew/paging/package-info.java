/**
 * Paging of the listing API: {@link io.mcpcrew.crew.paging.Page} (the items of one page and the cursor of the next)
 * and {@link io.mcpcrew.crew.paging.Cursors} (opaque cursors: what a list encodes in them, and the 400 naming a cursor
 * that is not one the list returned). Every list is bounded: a limit from 1 to the list's maximum.
 */
package io.mcpcrew.crew.paging;
