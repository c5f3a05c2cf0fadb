/**
 * The durable local journal of the fallback: what a node accepted while Redis was down is appended to a file and
 * forced to disk before the caller is answered, so a node crash during an outage loses nothing. One
 * {@link io.mcpcrew.crew.journal.JournalDirectory} per node (a locked slot under the configured directory; slots of
 * dead nodes are adopted), one {@link io.mcpcrew.crew.journal.Journal} file per component.
 */
package io.mcpcrew.crew.journal;
