package dev.warden.console;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.warden.access.ApiTokenAdministration;
import dev.warden.access.ApiTokenAdministration.Issued;
import dev.warden.access.InvalidApiTokenRequest;
import dev.warden.access.Scope;
import dev.warden.access.SignedInUser;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Admin pages for API tokens: the list with each token's scopes, creator, last use,
 * expiry and state; issuing one with scopes and an optional expiry (its value shown once,
 * on the page that answers the form); revoking one.
 */
@Controller
@RequestMapping("/admin/tokens")
class TokenAdminController {

	private static final Logger log = LoggerFactory.getLogger(TokenAdminController.class);

	private static final String LIST = "console/admin/tokens";

	private final ApiTokenAdministration tokens;

	private final Clock clock;

	TokenAdminController(ApiTokenAdministration tokens, Clock clock) {
		this.tokens = tokens;
		this.clock = clock;
	}

	@GetMapping
	String list(Model model) {
		return listPage(model, List.of(Scope.READ.value()));
	}

	/**
	 * Answers with the new token's value rather than redirecting, so that it is never
	 * kept in the session; Spring Security marks the page not to be cached. The expiry is
	 * a {@code datetime-local} in the viewer's time zone.
	 */
	@PostMapping
	String issue(@RequestParam(required = false) String name,
			@RequestParam(name = "scopes", required = false) List<String> scopes,
			@RequestParam(required = false) String expiresAt, @AuthenticationPrincipal SignedInUser admin,
			HttpServletRequest request, Model model) {
		List<String> chosen = (scopes != null) ? scopes : List.of();
		try {
			Instant expiry = Times.of(request, this.clock.instant()).parse("expiry", expiresAt);
			Issued issued = this.tokens.issue(name, chosen, expiry, admin.username());
			log.info("Console admin '{}' issued API token '{}' with scopes {}", admin.username(), issued.token().name(),
					issued.token().scopeNames());
			model.addAttribute("issued", issued);
			return "console/admin/token-issued";
		}
		catch (InvalidApiTokenRequest | InvalidFilter ex) {
			model.addAttribute("error", ex.getMessage());
			model.addAttribute("name", name);
			model.addAttribute("expiresAt", expiresAt);
			return listPage(model, chosen);
		}
	}

	@PostMapping("/{id}/revoke")
	String revoke(@PathVariable long id, @AuthenticationPrincipal SignedInUser admin, RedirectAttributes redirect) {
		if (this.tokens.revoke(id)) {
			log.info("Console admin '{}' revoked API token {}", admin.username(), id);
			redirect.addFlashAttribute("notice", "Revoked the token; it no longer authenticates.");
		}
		else {
			redirect.addFlashAttribute("error", "There is no such token.");
		}
		return "redirect:/admin/tokens";
	}

	private String listPage(Model model, List<String> chosenScopes) {
		model.addAttribute("tokens", this.tokens.list());
		model.addAttribute("scopes", Scope.values());
		model.addAttribute("chosenScopes", chosenScopes);
		return LIST;
	}

}
