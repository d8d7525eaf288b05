package dev.warden.alerting;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * Text PostgreSQL keeps exactly as it was sent. Its text columns refuse the NUL
 * character, and UTF-8 cannot carry an unpaired UTF-16 surrogate (a JSON escape of U+D800
 * to U+DFFF without its pair): the driver would store {@code ?} instead, so two
 * fingerprints that differ only there would become one (a 500 on
 * {@code alert_once_per_incident}), and a resend would no longer match what was stored.
 * Alertmanager never sends either (Go writes valid UTF-8 only), so such a body is refused
 * as bad input rather than failing, and being retried, for ever.
 */
@Documented
@Constraint(validatedBy = StorableText.Validator.class)
@Target({ ElementType.FIELD, ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.TYPE_USE })
@Retention(RetentionPolicy.RUNTIME)
@interface StorableText {

	String message() default "must not contain the NUL character (\\u0000) or an unpaired UTF-16 surrogate (\\uD800-\\uDFFF)";

	Class<?>[] groups() default {};

	Class<? extends Payload>[] payload() default {};

	class Validator implements ConstraintValidator<StorableText, String> {

		@Override
		public boolean isValid(String value, ConstraintValidatorContext context) {
			return value == null || isStorable(value);
		}

		static boolean isStorable(String value) {
			for (int i = 0; i < value.length(); i++) {
				char c = value.charAt(i);
				if (c == '\u0000') {
					return false;
				}
				if (Character.isHighSurrogate(c) && i + 1 < value.length()
						&& Character.isLowSurrogate(value.charAt(i + 1))) {
					i++;
				}
				else if (Character.isSurrogate(c)) {
					return false;
				}
			}
			return true;
		}

	}

}
