package io.voicecoach.gateway.api;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A client secret's binding names a leg of a call with both {@code call_id} and {@code role}, or neither. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = CallLeg.Check.class)
public @interface CallLeg {

    String message() default "call_id and role bind a secret together";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Check implements ConstraintValidator<CallLeg, ClientSecretRequest.Binding> {
        @Override
        public boolean isValid(ClientSecretRequest.Binding binding, ConstraintValidatorContext context) {
            return binding == null || (binding.callId() == null) == (binding.role() == null);
        }
    }
}
