package dev.warden.routing;

/** The severity a route gives the incidents it matches, replacing the alert's own. */
public enum SeverityOverride {

	CRITICAL, HIGH, WARNING, INFO

}
