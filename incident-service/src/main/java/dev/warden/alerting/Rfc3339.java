package dev.warden.alerting;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/** An RFC 3339 timestamp with offset, as Alertmanager writes them (Go's RFC3339Nano). */
@Documented
@Constraint(validatedBy = Rfc3339.Validator.class)
@Target({ ElementType.FIELD, ElementType.RECORD_COMPONENT, ElementType.PARAMETER })
@Retention(RetentionPolicy.RUNTIME)
@interface Rfc3339 {

	String message() default "must be an RFC 3339 timestamp between the years 1 and 9999 (UTC), such as 2026-11-22T20:54:32.766Z";

	Class<?>[] groups() default {};

	Class<? extends Payload>[] payload() default {};

	class Validator implements ConstraintValidator<Rfc3339, String> {

		/** Parses a timestamp the validator accepted. */
		static Instant parse(String value) {
			return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
		}

		@Override
		public boolean isValid(String value, ConstraintValidatorContext context) {
			if (value == null) {
				return true;
			}
			try {
				// The instant is what is stored: "0001-01-01T00:00:00+14:00" is in year
				// 0.
				int year = parse(value).atOffset(ZoneOffset.UTC).getYear();
				return year >= 1 && year <= 9999;
			}
			catch (DateTimeParseException ex) {
				return false;
			}
		}

	}

}
