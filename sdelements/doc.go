// Package sdelements reads the activity log of an SD Elements instance
// (API v2): ListActivities walks GET /api/v2/activities/ with every
// documented filter, GetActivity fetches GET /api/v2/activities/{id}/.
//
// Every customer has its own instance, so the instance URL is required
// (WithBaseURL or SDE_BASE_URL; "https://host" and "https://host/api/v2"
// both work), as is the API token (WithToken or SDE_API_TOKEN), sent as
// "Authorization: Token <token>".
//
//	c, err := sdelements.NewClient(
//		sdelements.WithBaseURL("https://sde.example.com"),
//		sdelements.WithToken(os.Getenv("SDE_API_TOKEN")),
//	)
//	if err != nil { ... }
//	params := &sdelements.ListActivitiesParams{
//		Project:  42,
//		DateFrom: time.Now().Add(-24 * time.Hour),
//	}
//	for a, err := range c.ListActivities(ctx, params).All() {
//		if err != nil { ... }
//		fmt.Println(a.Date, a.Name, a.Text)
//	}
//
// Dates are always sent in UTC with a "Z": the API reads a date without a
// zone as the server's local time. Pages follow the API's "next" links, only
// on the instance's host; a page's NextPageToken (that link) resumes a walk
// later through ListActivitiesParams.PageToken.
//
// ListActivitiesParams.Include, Exclude and Expand send the API's include,
// exclude and expand field lists; PageSize is sent as given (0 means 100):
// SD Elements documents no maximum.
//
// # Contract
//
// The package follows SD Elements' published API v2 documentation for
// activities, paging, include/exclude/expand and errors. SD Elements
// publishes no OpenAPI document; the OpenAPI 3.1 document in this package's
// testdata (sdelements-activities.openapi.yaml), written from that
// documentation and the vendor's public tooling, describes what is sent and
// read, and the package tests hold both this client's requests and the
// sdelementstest fake's answers to it.
//
// Non-2xx answers are *APIError, with Django REST Framework's detail, field
// and non-field errors parsed (Error() shows all of them); errors.Is works with ErrNotFound,
// ErrUnauthorized, ErrForbidden and ErrRateLimited. Bad parameters are
// *ValidationError, before any request. The sdelementstest package is a fake
// instance for tests.
package sdelements
