// Package workiva reads Workiva platform activities (logins, added users,
// role and settings changes) and the catalogue of activity actions through
// the Activities API, version 2026-01-01.
//
// Credentials are an OAuth2 client id and secret, exchanged at the token
// endpoint for bearer tokens that live about 10 minutes. The client caches
// them, renews them before they expire and once more after a 401, so a walk
// over thousands of pages outlives many tokens. A failed exchange surfaces as
// a *TokenError carrying Workiva's IAM error code and description.
//
// The package follows Workiva's published OpenAPI document for version
// 2026-01-01: the token request is a form POST to {base}/oauth2/token with
// grant_type=client_credentials, client_id and client_secret in the body
// (never HTTP Basic) and scope when WithScopes is set, carrying X-Version:
// 2026-01-01 and the SDK's User-Agent like every API request. The deprecated
// 2022-01-01 token endpoint /iam/v1/oauth2/token rejects that version, so
// WithTokenURL refuses it. Activity.Summary falls back to "description",
// which the document's own getActivityById example sends; error bodies are
// read flat (ErrorResponse) or nested under "error". Ids "." and ".." are a
// *ValidationError before sending: a URL normaliser would turn them into
// path steps even when percent-encoded.
//
//	c, err := workiva.NewClient(
//		workiva.WithClientCredentials(os.Getenv("WORKIVA_CLIENT_ID"), os.Getenv("WORKIVA_CLIENT_SECRET")),
//		workiva.WithRegion(workiva.RegionEU),
//	)
//	if err != nil { ... }
//	params := &workiva.ListActivitiesParams{
//		Filter:  workiva.ActionAliasIn("user_login", "user_login_failed").String(),
//		OrderBy: workiva.OrderByActivityDateTimeDesc,
//	}
//	for a, err := range c.ListOrganizationActivities(ctx, orgID, params).All() {
//		if err != nil { ... }
//		fmt.Println(a.ActivityDateTime, a.Action.Alias, a.Performer.DisplayName)
//	}
//
// Lists page on @nextLink. Each page's NextPageToken is the raw @nextLink;
// saved into PageToken it resumes the walk, even in another process. Links
// may be absolute URLs on the API host, paths, or opaque tokens (sent back as
// $next with the same $filter, $orderBy and $maxpagesize); a link to another
// host is refused and never receives a credential.
//
// Workiva does not guarantee that an action always produces the same activity
// ID: match activities on Action.Alias.
//
// Package workivatest provides a fake of the API for tests and offline runs.
package workiva
