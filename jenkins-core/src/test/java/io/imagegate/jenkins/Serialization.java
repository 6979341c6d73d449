package io.imagegate.jenkins;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Java serialization as remoting does it between controller and agent, recording which classes
 * cross.
 */
final class Serialization {
    private Serialization() {}

    @SuppressWarnings("unchecked")
    static <T> T roundTrip(T value) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(value);
            }
            try (ObjectInputStream in =
                    new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                return (T) in.readObject();
            }
        } catch (IOException | ClassNotFoundException e) {
            throw new AssertionError("does not survive serialization: " + value, e);
        }
    }

    /** Every class whose instances a serialized value holds (as written to the stream). */
    static Set<Class<?>> classesIn(Object value) {
        Set<Class<?>> classes = new LinkedHashSet<>();
        try (ObjectOutputStream out =
                new ObjectOutputStream(new ByteArrayOutputStream()) {
                    @Override
                    protected void annotateClass(Class<?> cl) {
                        classes.add(cl);
                    }

                    @Override
                    protected void writeClassDescriptor(ObjectStreamClass desc) throws IOException {
                        classes.add(desc.forClass());
                        super.writeClassDescriptor(desc);
                    }
                }) {
            out.writeObject(value);
        } catch (IOException e) {
            throw new AssertionError("does not serialize: " + value, e);
        }
        return classes;
    }
}
