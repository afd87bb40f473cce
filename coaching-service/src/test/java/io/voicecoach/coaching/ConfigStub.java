package io.voicecoach.coaching;

import io.smallrye.config.WithDefault;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code @ConfigMapping} interface answered from its {@code @WithDefault}s and a map of overrides (nested interfaces
 * take a nested map), so unit tests can build the service's beans without Quarkus.
 */
public final class ConfigStub {

    @SuppressWarnings("unchecked")
    public static <T> T of(Class<T> type, Map<String, Object> overrides) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> type.getSimpleName() + overrides;
                };
            }
            Class<?> returns = method.getReturnType();
            Object value = overrides.get(method.getName());
            if (returns.isInterface() && returns != Map.class && returns.getPackageName().startsWith("io.voicecoach")) {
                return of(returns, value == null ? Map.of() : (Map<String, Object>) value);
            }
            if (value != null) {
                return value;
            }
            var fallback = method.getAnnotation(WithDefault.class);
            if (fallback == null) {
                if (returns == Optional.class) {
                    return Optional.empty();
                }
                if (returns == Map.class) {
                    return Map.of();
                }
                throw new IllegalStateException(type.getSimpleName() + "." + method.getName() + " has no default");
            }
            return convert(fallback.value(), returns);
        });
    }

    private static Object convert(String text, Class<?> type) {
        if (type == String.class) {
            return text;
        }
        if (type == int.class) {
            return Integer.parseInt(text);
        }
        if (type == long.class) {
            return Long.parseLong(text);
        }
        if (type == double.class) {
            return Double.parseDouble(text);
        }
        if (type == boolean.class) {
            return Boolean.parseBoolean(text);
        }
        if (type == Duration.class) {
            return duration(text);
        }
        if (type.isEnum()) {
            for (Object constant : type.getEnumConstants()) {
                if (((Enum<?>) constant).name().equalsIgnoreCase(text.replace('-', '_'))) {
                    return constant;
                }
            }
        }
        throw new IllegalArgumentException("no conversion to " + type);
    }

    private static Duration duration(String text) {
        if (text.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
        }
        long amount = Long.parseLong(text.substring(0, text.length() - 1));
        return switch (text.charAt(text.length() - 1)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            case 'd' -> Duration.ofDays(amount);
            default -> Duration.parse(text);
        };
    }

    private ConfigStub() {
    }
}
