package io.fastrtc.turn;

/** Which methods a handler's class keeps from a base class, looked up once per class. */
final class Overrides {

    private Overrides() {
    }

    /** True for a class whose public method {@code name(parameters)} is {@code base}'s own, not overridden. */
    static ClassValue<Boolean> inherits(Class<?> base, String name, Class<?>... parameters) {
        return new ClassValue<>() {
            @Override
            protected Boolean computeValue(Class<?> type) {
                try {
                    return type.getMethod(name, parameters).getDeclaringClass() == base;
                } catch (NoSuchMethodException e) {
                    return false;
                }
            }
        };
    }
}
