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
// Close limits the request rate per API key and reports the state in a
// RateLimit header on its answers; Client.LastRateLimit returns the latest.
// A 429 is retried after the wait Close asks for: Retry-After, else the
// RateLimit reset, else the body's error.rate_reset (see RateLimit). The
// report request changes nothing on the server and is retried like a GET.
//
// Package closetest is a fake Close API for tests and offline examples.
package close
