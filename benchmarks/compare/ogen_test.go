package compare

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"github.com/google/uuid"

	"github.com/activitysdk/activity-go/benchmarks/compare/wkogen"
)

// bearerSource hands ogen the access token the loop fetched once.
type bearerSource struct{}

func (bearerSource) OAuth(context.Context, wkogen.OperationName) (wkogen.OAuth, error) {
	return wkogen.OAuth{Token: benchToken}, nil
}

// newOgenClient builds the generated client on hc.
func newOgenClient(base string, hc *http.Client) (*wkogen.Client, error) {
	return wkogen.NewClient(base, bearerSource{}, wkogen.WithClient(hc))
}

// ogenWorkiva walks the activities with the generated client and a hand
// paging loop: $maxpagesize on every request, and the $next of each page's
// @nextLink until a page has none.
func ogenWorkiva(ctx context.Context, c *wkogen.Client, visit func(*wkogen.Activity)) error {
	params := wkogen.GetOrganizationActivitiesParams{
		OrganizationId: uuid.MustParse(orgID),
		Maxpagesize:    wkogen.NewOptInt(pageSize),
	}
	for {
		res, err := c.GetOrganizationActivities(ctx, params)
		if err != nil {
			return err
		}
		page, ok := res.(*wkogen.ActivitiesListResult)
		if !ok {
			return fmt.Errorf("unexpected answer %T", res)
		}
		for i := range page.Data {
			visit(&page.Data[i])
		}
		link, ok := page.NextLink.Get()
		if !ok || link == "" {
			return nil
		}
		u, err := url.Parse(link)
		if err != nil {
			return err
		}
		params.Next = wkogen.NewOptString(u.Query().Get("$next"))
	}
}
