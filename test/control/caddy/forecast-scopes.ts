// scopes.yml of the edge tests: group devs may call only the echo service's get_forecast tool.
export const FORECAST_SCOPES = 'groups:\n  devs: [forecast]\nscopes:\n  forecast:\n    servers:\n      echo:\n        tools: [get_forecast]\n';
