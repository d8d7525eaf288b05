package dev.warden.console;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.warden.access.ApiTokenAdministration;
import dev.warden.access.ApiTokenAdministration.Issued;
import dev.warden.access.InvalidApiTokenName;

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
 * Admin pages for API tokens: the list, issuing one (its value shown once, on the page
 * that answers the form) and revoking one.
 */
@Controller
@RequestMapping("/admin/tokens")
class TokenAdminController {

	private static final Logger log = LoggerFactory.getLogger(TokenAdminController.class);

	private static final String LIST = "console/admin/tokens";

	private final ApiTokenAdministration tokens;

	TokenAdminController(ApiTokenAdministration tokens) {
		this.tokens = tokens;
	}

	@GetMapping
	String list(Model model) {
		return listPage(model);
	}

	/**
	 * Answers with the new token's value rather than redirecting, so that it is never
	 * kept in the session; Spring Security marks the page not to be cached.
	 */
	@PostMapping
	String issue(@RequestParam(required = false) String name, @AuthenticationPrincipal SignedInUser admin,
			Model model) {
		try {
			Issued issued = this.tokens.issue(name);
			log.info("Console admin '{}' issued API token '{}'", admin.username(), issued.token().name());
			model.addAttribute("issued", issued);
			return "console/admin/token-issued";
		}
		catch (InvalidApiTokenName ex) {
			model.addAttribute("error", ex.getMessage());
			model.addAttribute("name", name);
			return listPage(model);
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

	private String listPage(Model model) {
		model.addAttribute("tokens", this.tokens.list());
		return LIST;
	}

}
