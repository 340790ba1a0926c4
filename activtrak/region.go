package activtrak

import "github.com/activitysdk/activity-go/internal/core"

// The regions, each with its API host; RegionUS is the default. The
// regional hosts other than US are those reported by integrators; the
// ActivTrak documentation names only api.activtrak.com.
const (
	RegionUS Region = "US" // https://api.activtrak.com
	RegionEU Region = "EU" // https://api-eu.activtrak.com
	RegionUK Region = "UK" // https://api-uk.activtrak.com
	RegionCA Region = "CA" // https://api-ca.activtrak.com
	RegionAU Region = "AU" // https://api-au.activtrak.com
)

// regions is the host table behind Region.BaseURL and WithRegion.
var regions = core.Regions{
	"US": DefaultBaseURL,
	"EU": "https://api-eu.activtrak.com",
	"UK": "https://api-uk.activtrak.com",
	"CA": "https://api-ca.activtrak.com",
	"AU": "https://api-au.activtrak.com",
}
