package dev.warden.incidents;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class GrafanaDetailsTests {

	@Test
	void valuesReadAsPeopleWriteThemByReferenceId() {
		Map<String, Double> values = new LinkedHashMap<>();
		values.put("C", 1.0);
		values.put("B", 97.31250762939453);
		values.put("D", 0.5e-6);
		values.put("E", -2.50);

		assertThat(new GrafanaDetails(values, "ignored", null, null, null, null).valuesText())
			.isEqualTo("B=97.31250762939453, C=1, D=5.0E-7, E=-2.5");
	}

	@Test
	void withoutValuesGrafanasOwnTextAndWithoutEitherNothing() {
		assertThat(new GrafanaDetails(null, "[ var='A' value=3 ]", null, null, null, null).valuesText())
			.isEqualTo("[ var='A' value=3 ]");
		assertThat(new GrafanaDetails(Map.of(), " ", "", "", "", "").valuesText()).isNull();
	}

	@Test
	void grafanasEmptyLinksAreNoLinks() {
		GrafanaDetails details = new GrafanaDetails(Map.of(), "", "", "", "", "");

		assertThat(details.dashboardUrl()).isNull();
		assertThat(details.panelUrl()).isNull();
		assertThat(details.webLinks()).isEmpty();
	}

	@Test
	void webLinksAreTheHttpOnesInOrder() {
		GrafanaDetails details = new GrafanaDetails(Map.of(), null, "javascript:alert(1)",
				"http://grafana:3000/d/x?viewPanel=2", "HTTPS://grafana/alerting/silence/new",
				"data:image/png;base64,x");

		assertThat(details.webLinks()).containsExactly(Map.entry("Panel", "http://grafana:3000/d/x?viewPanel=2"),
				Map.entry("Silence", "HTTPS://grafana/alerting/silence/new"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)",
			" https://grafana/d/x", "http:/grafana", "https://", "file:///etc/passwd", "//grafana/d/x", "/d/x",
			"https://grafana/d/x y", "https://grafana/d/\u0000" })
	void notWebLinks(String url) {
		assertThat(GrafanaDetails.isWebLink(url)).isFalse();
	}

}
