// Package close reads Close (close.com) activity reports: the organization's
// metrics per time period (overview) or per user (comparison), as decoded JSON
// or as a CSV stream, and the catalogue of metrics a report can compute.
//
// The package is named close, like the builtin. Import it under another name
// so the builtin stays usable in your file:
//
//	import closeapi "github.com/activitysdk/activity-go/close"
//
//	c, err := closeapi.NewClient(closeapi.WithAPIKey(os.Getenv("CLOSE_API_KEY")))
//	if err != nil {
//		return err
//	}
//	rep, err := c.GetActivityReport(ctx, &closeapi.ActivityReportParams{
//		Type:          closeapi.ReportComparison,
//		Metrics:       []string{"calls.outbound.all.count", "emails.sent.all.count"},
//		RelativeRange: closeapi.RangeLastMonth,
//	})
//	if err != nil {
//		return err
//	}
//	for _, row := range rep.Rows {
//		fmt.Println(rep.UserDisplayName(row.UserID), row.Values["calls.outbound.all.count"])
//	}
//
// Authentication is HTTP Basic with the API key as user name (WithAPIKey, or
// the CLOSE_API_KEY environment variable), or OAuth2 bearer tokens from a
// token source (WithTokenSource).
//
// # Contract
//
// The package follows Close's published API as of 2026: the activity report
// (POST /report/activity/, JSON or CSV), the metric catalogue (GET
// /report/activity/metrics/), the rate-limit and time-zone headers, and the
// error shapes. Close publishes no schema for these answers; the OpenAPI 3.1
// document in this package's testdata (close-reporting.openapi.yaml), written
// from Close's reference and its official client, describes what is sent and
// read, and the package tests hold both this client's requests and the
// closetest fake's answers to it.
//
// # Time zone
//
// WithTZOffset (and ActivityReportParams.TZOffset for one report) sends the
// X-TZ-Offset header, the UTC offset in hours in which Close resolves
// relative ranges and day buckets. Without it no header is sent.
//
// # Rate limits
//
// Close limits the request rate per endpoint group (the report POST and the
// catalogue GET have windows of their own), per API key and per
// organization, and reports the limit closest to being hit in a RateLimit
// header (older answers: X-Rate-Limit-Limit, -Remaining, -Reset).
// Client.LastRateLimit(group) returns the latest for one group, never mixing
// two groups' windows. A 429 is retried after the wait Close asks for: the
// RateLimit reset, else Retry-After, else X-Rate-Limit-Reset or
// RateLimit-Reset, else the body's error.rate_reset (see RateLimit). The
// report request changes nothing on the server and is retried like a GET.
//
// Package closetest is a fake Close API for tests and offline examples.
package close
