package io.laurel.api;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A user id as the API takes it: 1 to 200 characters, no {@code /} (it is a path segment too). Required. */
@NotBlank
@Size(max = 200)
@Pattern(regexp = "[^/]*")
@ReportAsSingleViolation
@Constraint(validatedBy = {})
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE})
public @interface UserId {
    String message() default "is required: a string of 1 to 200 characters without '/'";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
