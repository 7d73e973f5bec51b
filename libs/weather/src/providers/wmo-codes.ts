/** WMO weather interpretation codes (Open-Meteo `weather_code`) → [condition group, description]. */
const WMO_CODES: ReadonlyMap<number, readonly [string, string]> = new Map([
  [0, ['Clear', 'clear sky']],
  [1, ['Clouds', 'mainly clear']],
  [2, ['Clouds', 'partly cloudy']],
  [3, ['Clouds', 'overcast']],
  [45, ['Fog', 'fog']],
  [48, ['Fog', 'depositing rime fog']],
  [51, ['Drizzle', 'light drizzle']],
  [53, ['Drizzle', 'moderate drizzle']],
  [55, ['Drizzle', 'dense drizzle']],
  [56, ['Drizzle', 'light freezing drizzle']],
  [57, ['Drizzle', 'dense freezing drizzle']],
  [61, ['Rain', 'slight rain']],
  [63, ['Rain', 'moderate rain']],
  [65, ['Rain', 'heavy rain']],
  [66, ['Rain', 'light freezing rain']],
  [67, ['Rain', 'heavy freezing rain']],
  [71, ['Snow', 'slight snow fall']],
  [73, ['Snow', 'moderate snow fall']],
  [75, ['Snow', 'heavy snow fall']],
  [77, ['Snow', 'snow grains']],
  [80, ['Rain', 'slight rain showers']],
  [81, ['Rain', 'moderate rain showers']],
  [82, ['Rain', 'violent rain showers']],
  [85, ['Snow', 'slight snow showers']],
  [86, ['Snow', 'heavy snow showers']],
  [95, ['Thunderstorm', 'thunderstorm']],
  [96, ['Thunderstorm', 'thunderstorm with slight hail']],
  [99, ['Thunderstorm', 'thunderstorm with heavy hail']],
]);

export function describeWmoCode(code: number): { condition: string; description: string } {
  const [condition, description] = WMO_CODES.get(code) ?? ['Unknown', `weather code ${code}`];
  return { condition, description };
}
