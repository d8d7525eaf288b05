package dev.warden.console;

import java.time.Clock;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import dev.warden.access.ConsoleRoles;
import dev.warden.access.SignedInUser;
import dev.warden.cluster.ConfigVersions;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * What every console page knows: who is signed in ({@code currentUser}, null on the
 * sign-in page) for the shared layout's header, the viewer's {@code times} (zone and
 * "now"), whether they may act ({@code canRespond}) and the configuration kinds whose
 * files on this instance drift from the recorded version ({@code configDrift}, shown as a
 * banner on every page).
 */
@ControllerAdvice(basePackageClasses = ConsoleModel.class)
class ConsoleModel {

	private final Clock clock;

	private final ConfigVersions versions;

	ConsoleModel(Clock clock, ConfigVersions versions) {
		this.clock = clock;
		this.versions = versions;
	}

	@ModelAttribute("currentUser")
	SignedInUser currentUser(@AuthenticationPrincipal SignedInUser user) {
		return user;
	}

	@ModelAttribute("times")
	Times times(HttpServletRequest request) {
		return Times.of(request, this.clock.instant());
	}

	@ModelAttribute("configDrift")
	List<ConfigVersions.Drift> configDrift() {
		return this.versions.drifts();
	}

	@ModelAttribute("canRespond")
	boolean canRespond(Authentication user) {
		return ConsoleRoles.canRespond(user);
	}

}
