package workiva

import "github.com/activitysdk/activity-go/internal/core"

// The Workiva regions, each with its API host; RegionUS is the default.
const (
	RegionUS   Region = "US"   // https://api.app.wdesk.com
	RegionEU   Region = "EU"   // https://api.eu.wdesk.com
	RegionAPAC Region = "APAC" // https://api.apac.wdesk.com
)

// regions is the host table behind Region.BaseURL and WithRegion.
var regions = core.Regions{
	"US":   DefaultBaseURL,
	"EU":   "https://api.eu.wdesk.com",
	"APAC": "https://api.apac.wdesk.com",
}
