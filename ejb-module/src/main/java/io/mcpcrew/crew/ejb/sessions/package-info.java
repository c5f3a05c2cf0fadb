/** Enterprise beans of the sessions component: the periodic cleanup of the per-user session indexes. */
package io.mcpcrew.crew.ejb.sessions;
