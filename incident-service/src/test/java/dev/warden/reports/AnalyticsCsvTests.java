package dev.warden.reports;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.warden.reports.AnalyticsReport.DayCount;
import dev.warden.reports.AnalyticsReport.NoisyAlert;
import dev.warden.reports.AnalyticsReport.TimeSaved;

import static org.assertj.core.api.Assertions.assertThat;

/** CSV a spreadsheet opens safely: quoting, formula neutralising, numbers. */
class AnalyticsCsvTests {

	@Test
	void quotesCellsWithCommasQuotesAndLineBreaks() {
		assertThat(AnalyticsCsv.text("plain")).isEqualTo("plain");
		assertThat(AnalyticsCsv.text("a,b")).isEqualTo("\"a,b\"");
		assertThat(AnalyticsCsv.text("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
		assertThat(AnalyticsCsv.text("two\nlines")).isEqualTo("\"two\nlines\"");
		assertThat(AnalyticsCsv.text(null)).isEmpty();
	}

	@Test
	void neutralisesTextASpreadsheetWouldRunAsAFormula() {
		assertThat(AnalyticsCsv.text("=HYPERLINK(\"http://evil\")")).isEqualTo("\"'=HYPERLINK(\"\"http://evil\"\")\"");
		assertThat(AnalyticsCsv.text("+1")).isEqualTo("'+1");
		assertThat(AnalyticsCsv.text("-1")).isEqualTo("'-1");
		assertThat(AnalyticsCsv.text("@SUM(A1)")).isEqualTo("'@SUM(A1)");
		assertThat(AnalyticsCsv.text("a=b")).isEqualTo("a=b");
	}

	@Test
	void writesOneRowPerEntryWithCrlfLineEnds() {
		String csv = AnalyticsCsv.noisiestAlerts(List.of(new NoisyAlert("Disk,Full", 7, 1), new NoisyAlert("X", 1, 1)));

		assertThat(csv).isEqualTo("alert_name,alerts,incidents\r\n\"Disk,Full\",7,1\r\nX,1,1\r\n");
	}

	@Test
	void writesDurationsAsSecondsWithMillisecondsAndNoneAsEmpty() {
		assertThat(AnalyticsCsv.timeSaved(new TimeSaved(Duration.ofMillis(1_800_250), 3, 2, Duration.ofSeconds(2100))))
			.isEqualTo("time_saved_seconds,baseline_mttr_seconds,baseline_incidents,helped_incidents\r\n"
					+ "2100,1800.25,3,2\r\n");
		assertThat(AnalyticsCsv.timeSaved(new TimeSaved(null, 0, 1, null))).endsWith("\r\n,,0,1\r\n");
	}

	@Test
	void writesDaysAsIsoDates() {
		assertThat(AnalyticsCsv.incidentsPerDay(
				List.of(new DayCount(LocalDate.of(2020, 3, 1), 0), new DayCount(LocalDate.of(2020, 3, 2), 3))))
			.isEqualTo("date,incidents\r\n2020-03-01,0\r\n2020-03-02,3\r\n");
	}

}
