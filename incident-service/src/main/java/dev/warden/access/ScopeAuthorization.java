package dev.warden.access;

import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.web.HttpMediaTypeException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.handler.HandlerMappingIntrospector;
import org.springframework.web.servlet.resource.ResourceHttpRequestHandler;
import org.springframework.web.util.ServletRequestPathUtils;

/**
 * Lets an API request through only when its token holds the scope its handler declares
 * with {@link RequiresScope}. The handler is found as the dispatcher will find it, from
 * the same handler mappings in the same order. Fail-closed: a controller method without a
 * declaration, or a handler of a kind this class does not know, is refused. Requests no
 * handler takes (unknown paths, wrong methods or media types) pass to the dispatcher,
 * which answers them 404, 405 or 415 without running anything.
 */
class ScopeAuthorization implements AuthorizationManager<RequestAuthorizationContext> {

	private static final Logger log = LoggerFactory.getLogger(ScopeAuthorization.class);

	/** Authority prefix of the (effective) scopes of an authenticated token. */
	static final String AUTHORITY_PREFIX = "SCOPE_";

	private final ObjectProvider<HandlerMappingIntrospector> handlerMappings;

	ScopeAuthorization(ObjectProvider<HandlerMappingIntrospector> handlerMappings) {
		this.handlerMappings = handlerMappings;
	}

	@Override
	public AuthorizationResult authorize(Supplier<? extends Authentication> authentication,
			RequestAuthorizationContext context) {
		// First: without a token the answer is 401, whatever the path.
		Authentication caller = authentication.get();
		if (caller == null || !caller.isAuthenticated()) {
			throw new AuthenticationCredentialsNotFoundException("No API token");
		}
		Object handler;
		try {
			handler = handler(context.getRequest());
		}
		catch (HttpRequestMethodNotSupportedException | HttpMediaTypeException | ServletRequestBindingException ex) {
			// The dispatcher fails the same way (405, 415, 406, 400) and runs no handler.
			return new AuthorizationDecision(true);
		}
		catch (Exception ex) {
			log.warn("Cannot tell which handler takes {} {}, refusing it: {}", context.getRequest().getMethod(),
					context.getRequest().getRequestURI(), ex.toString());
			return new ScopeDecision(false, null, "Warden cannot tell which scope this request needs.");
		}
		if (handler == null || handler instanceof ResourceHttpRequestHandler) {
			// Nothing takes it but static resources: a 404 (or a public asset).
			return new AuthorizationDecision(true);
		}
		if (!(handler instanceof HandlerMethod method)) {
			return new ScopeDecision(false, null, "This endpoint is not open to API tokens.");
		}
		RequiresScope declared = required(method);
		if (declared == null) {
			log.error("{} declares no scope (@RequiresScope), so API tokens cannot call it", method);
			return new ScopeDecision(false, null,
					"This endpoint declares no scope, so no API token may call it; this is a bug in Warden.");
		}
		Scope needed = declared.value();
		boolean granted = caller.getAuthorities()
			.stream()
			.anyMatch((authority) -> (AUTHORITY_PREFIX + needed.value()).equals(authority.getAuthority()));
		return new ScopeDecision(granted, needed, "This needs an API token with the '" + needed.value()
				+ "' scope (admin holds every scope); token '" + caller.getName() + "' does not have it.");
	}

	/** The declaration on the method, else on its controller. */
	static RequiresScope required(HandlerMethod method) {
		RequiresScope onMethod = AnnotatedElementUtils.findMergedAnnotation(method.getMethod(), RequiresScope.class);
		return (onMethod != null) ? onMethod
				: AnnotatedElementUtils.findMergedAnnotation(method.getBeanType(), RequiresScope.class);
	}

	private Object handler(HttpServletRequest request) throws Exception {
		HttpServletRequest lookup = new OwnAttributes(request);
		ServletRequestPathUtils.parseAndCache(lookup);
		for (HandlerMapping mapping : this.handlerMappings.getObject().getHandlerMappings()) {
			HandlerExecutionChain chain = mapping.getHandler(lookup);
			if (chain != null) {
				return chain.getHandler();
			}
		}
		return null;
	}

	/**
	 * A decision that says why, for the 403 problem.
	 *
	 * @param needed the scope the endpoint needs; null when it declares none
	 * @param reason for the problem's detail
	 */
	static final class ScopeDecision extends AuthorizationDecision {

		private final Scope needed;

		private final String reason;

		ScopeDecision(boolean granted, Scope needed, String reason) {
			super(granted);
			this.needed = needed;
			this.reason = reason;
		}

		Scope needed() {
			return this.needed;
		}

		String reason() {
			return this.reason;
		}

	}

	/**
	 * The request with attributes of its own: handler mappings store what they matched in
	 * request attributes, which the dispatcher must not find left over from this look-up.
	 */
	private static final class OwnAttributes extends HttpServletRequestWrapper {

		private final Map<String, Object> attributes = new HashMap<>();

		OwnAttributes(HttpServletRequest request) {
			super(request);
			for (Enumeration<String> names = request.getAttributeNames(); names.hasMoreElements();) {
				String name = names.nextElement();
				this.attributes.put(name, request.getAttribute(name));
			}
		}

		@Override
		public Object getAttribute(String name) {
			return this.attributes.get(name);
		}

		@Override
		public Enumeration<String> getAttributeNames() {
			return Collections.enumeration(this.attributes.keySet());
		}

		@Override
		public void setAttribute(String name, Object value) {
			if (value == null) {
				this.attributes.remove(name);
			}
			else {
				this.attributes.put(name, value);
			}
		}

		@Override
		public void removeAttribute(String name) {
			this.attributes.remove(name);
		}

	}

}
