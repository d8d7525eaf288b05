package dev.warden.access;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The scope an API token needs for a handler under {@code /api/v1}: on the method, or on
 * the controller for all its methods (a method's own declaration wins). The API's
 * security chain refuses (403) every request whose handler declares none, so an endpoint
 * added without one is closed, never open.
 */
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface RequiresScope {

	/** The scope needed; {@link Scope#ADMIN} tokens hold every scope. */
	Scope value();

}
