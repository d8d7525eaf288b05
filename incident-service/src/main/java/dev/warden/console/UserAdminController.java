package dev.warden.console;

import java.util.List;

import dev.warden.access.ConsoleUser;
import dev.warden.access.InvalidUserChange;
import dev.warden.access.Role;
import dev.warden.access.SignedInUser;
import dev.warden.access.UserAdministration;

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
 * Admin pages for console users: the list, a form for a new user and a page per user to
 * change the role, disable or enable, and reset the password. A refused change shows its
 * form again with the reason; nothing changes.
 */
@Controller
@RequestMapping("/admin/users")
class UserAdminController {

	private static final String LIST = "console/admin/users";

	private static final String NEW = "console/admin/user-new";

	private static final String USER = "console/admin/user";

	private final UserAdministration administration;

	UserAdminController(UserAdministration administration) {
		this.administration = administration;
	}

	@GetMapping
	String list(Model model) {
		model.addAttribute("users", this.administration.all());
		return LIST;
	}

	@GetMapping("/new")
	String newUser(Model model) {
		model.addAttribute("form", NewUserForm.EMPTY);
		model.addAttribute("roles", roles());
		return NEW;
	}

	@PostMapping
	String create(NewUserForm form, @AuthenticationPrincipal SignedInUser admin, Model model,
			RedirectAttributes redirect) {
		try {
			ConsoleUser user = this.administration.create(form.username(), form.displayName(), form.role(),
					form.password(), admin);
			redirect.addFlashAttribute("notice", "Created " + user.role().value() + " '" + user.username() + "'.");
			return "redirect:/admin/users";
		}
		catch (InvalidUserChange ex) {
			model.addAttribute("error", ex.getMessage());
			model.addAttribute("form", form.withoutPassword());
			model.addAttribute("roles", roles());
			return NEW;
		}
	}

	@GetMapping("/{id}")
	String user(@PathVariable long id, Model model) {
		return userPage(this.administration.get(id), model);
	}

	@PostMapping("/{id}/role")
	String changeRole(@PathVariable long id, @RequestParam(required = false) String role,
			@AuthenticationPrincipal SignedInUser admin, Model model, RedirectAttributes redirect) {
		return change(id, model, redirect, () -> {
			ConsoleUser user = this.administration.changeRole(id, role, admin);
			return "'" + user.username() + "' is now " + user.role().value() + ".";
		});
	}

	@PostMapping("/{id}/enabled")
	String setEnabled(@PathVariable long id, @RequestParam(required = false) boolean enabled,
			@AuthenticationPrincipal SignedInUser admin, Model model, RedirectAttributes redirect) {
		return change(id, model, redirect, () -> {
			ConsoleUser user = this.administration.setEnabled(id, enabled, admin);
			return "'" + user.username() + "' is " + (user.enabled() ? "enabled" : "disabled") + ".";
		});
	}

	@PostMapping("/{id}/password")
	String resetPassword(@PathVariable long id, @RequestParam(required = false) String password,
			@AuthenticationPrincipal SignedInUser admin, Model model, RedirectAttributes redirect) {
		return change(id, model, redirect, () -> {
			ConsoleUser user = this.administration.resetPassword(id, password, admin);
			return "Set a new password for '" + user.username() + "'; their sessions have ended.";
		});
	}

	private String change(long id, Model model, RedirectAttributes redirect, Change change) {
		try {
			redirect.addFlashAttribute("notice", change.apply());
			return "redirect:/admin/users/" + id;
		}
		catch (InvalidUserChange ex) {
			model.addAttribute("error", ex.getMessage());
			return userPage(this.administration.get(id), model);
		}
	}

	private static String userPage(ConsoleUser user, Model model) {
		model.addAttribute("user", user);
		model.addAttribute("roles", roles());
		return USER;
	}

	private static List<String> roles() {
		return List.of(Role.VIEWER.value(), Role.RESPONDER.value(), Role.ADMIN.value());
	}

	/** A change that says what it did, for the page after the redirect. */
	@FunctionalInterface
	private interface Change {

		String apply();

	}

	/**
	 * The new-user form as posted.
	 *
	 * @param username the username
	 * @param displayName how the console names the user
	 * @param role viewer, responder or admin
	 * @param password the initial password
	 */
	record NewUserForm(String username, String displayName, String role, String password) {

		static final NewUserForm EMPTY = new NewUserForm("", "", Role.VIEWER.value(), "");

		/** The form to show again: the password is never sent back to the browser. */
		NewUserForm withoutPassword() {
			return new NewUserForm(this.username, this.displayName, this.role, "");
		}

		@Override
		public String toString() {
			return "NewUserForm[username=" + this.username + ", role=" + this.role + "]";
		}

	}

}
