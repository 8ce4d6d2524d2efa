package io.laurel.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A text field that also takes a whole number, as its decimal text: Discourse and the systems that copy its score
 * events send user ids as numbers ({@code "user_id": 42} is user {@code "42"}). Every other text field takes text
 * only.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
public @interface NumberAsText {
}
