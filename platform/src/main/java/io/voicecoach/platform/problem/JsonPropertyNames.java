package io.voicecoach.platform.problem;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.hibernate.validator.ValidatorFactoryCustomizer;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.validator.BaseHibernateValidatorConfiguration;
import org.hibernate.validator.spi.nodenameprovider.JavaBeanProperty;
import org.hibernate.validator.spi.nodenameprovider.Property;
import org.hibernate.validator.spi.nodenameprovider.PropertyNodeNameProvider;

/**
 * Violations name a field as the JSON names it: {@code $.expires_after.seconds} for a record component
 * {@code @JsonProperty("expires_after") expiresAfter}, so {@code errors[].path} is a path into the request body.
 */
@ApplicationScoped
public class JsonPropertyNames implements ValidatorFactoryCustomizer, PropertyNodeNameProvider {

    @Override
    public void customize(BaseHibernateValidatorConfiguration<?> configuration) {
        configuration.propertyNodeNameProvider(this);
    }

    @Override
    public String getName(Property property) {
        if (property instanceof JavaBeanProperty bean) {
            try {
                var named = bean.getDeclaringClass().getDeclaredField(bean.getName()).getAnnotation(JsonProperty.class);
                if (named != null && !named.value().isEmpty()) {
                    return named.value();
                }
            } catch (NoSuchFieldException e) {
                // a getter without a field of its name: its Java name
            }
        }
        return property.getName();
    }
}
