package io.mcpcrew.crew.events;

/** Base of the extensible name values ({@link EventType}, {@link EventPriority}): equal when class and name are. */
abstract class EventName {
    private final String name;

    EventName(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && ((EventName) o).name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}
