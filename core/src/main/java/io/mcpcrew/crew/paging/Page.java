package io.mcpcrew.crew.paging;

import io.mcpcrew.crew.validation.InvalidInputException;
import java.util.List;
import java.util.function.Function;

/**
 * One page of a list: at most the limit asked for, and the cursor that reads the next page (null on the last page).
 * Cursors are opaque: pass {@link #nextCursor()} back as given.
 *
 * @param items      the items of this page, in the list's order
 * @param nextCursor the cursor of the next page, or null when this page is the last
 */
public record Page<T>(List<T> items, String nextCursor) {

    public Page {
        items = List.copyOf(items);
    }

    /** True when there is a next page. */
    public boolean hasMore() {
        return nextCursor != null;
    }

    /** The same page with each item mapped. */
    public <R> Page<R> map(Function<? super T, ? extends R> f) {
        return new Page<>(items.stream().<R>map(f).toList(), nextCursor);
    }

    /**
     * Checks a page size: {@code limit} from 1 to {@code max}, else {@link InvalidInputException} naming the value and
     * the rule.
     */
    public static int requireLimit(int limit, int max) {
        if (limit < 1 || limit > max) {
            throw new InvalidInputException("invalid limit " + limit + ": must be from 1 to " + max);
        }
        return limit;
    }
}
