package io.imagegate.api;

import io.imagegate.message.Operation;
import java.io.Serializable;

/**
 * An operation's inputs: immutable, serializable, and checked by one {@link #validate()} that names
 * the field at fault.
 */
public interface Spec extends Serializable {
    /**
     * Throws a {@link ErrorKind#USAGE} error naming the offending {@link Field}, or returns when
     * every input is usable.
     */
    void validate();

    /** The operation this spec is for. */
    Operation operation();
}
