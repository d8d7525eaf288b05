package dev.warden.console;

import java.time.Clock;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * What every console page knows: who is signed in ({@code currentUser}, null on the
 * sign-in page) for the shared layout's header, the viewer's {@code times} (zone and
 * "now") and whether they may act ({@code canRespond}). It also serves the pages the
 * reports module renders in the console's layout (postmortems), named by package so that
 * reports need not know the console.
 */
@ControllerAdvice(basePackageClasses = ConsoleModel.class, basePackages = "dev.warden.reports")
class ConsoleModel {

	private final Clock clock;

	ConsoleModel(Clock clock) {
		this.clock = clock;
	}

	@ModelAttribute("currentUser")
	SignedInUser currentUser(@AuthenticationPrincipal SignedInUser user) {
		return user;
	}

	@ModelAttribute("times")
	Times times(HttpServletRequest request) {
		return Times.of(request, this.clock.instant());
	}

	@ModelAttribute("canRespond")
	boolean canRespond(Authentication user) {
		return ConsoleRoles.canRespond(user);
	}

}
