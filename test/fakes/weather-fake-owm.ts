import { PLACES, kelvinAt, round2, windAt } from './weather-fake-replies';

/** The fake's OpenWeatherMap: geocoding by zip and by name, current weather. */
export function owmZip(zipParam: string): [number, unknown] {
  const [zip, cc = 'us'] = zipParam.split(',');
  if (!zip) return [400, { cod: '400', message: 'Nothing to geocode' }];
  const place = PLACES.find(
    (p) => p.countryCode === cc.toUpperCase() && p.zip === zip.toUpperCase(),
  );
  if (!place) return [404, { cod: '404', message: 'not found' }];
  return [
    200,
    {
      zip: place.zip,
      name: place.city,
      lat: place.lat,
      lon: place.lon,
      country: place.countryCode,
    },
  ];
}

export function owmDirect(q: string): [number, unknown] {
  const [city, cc] = q.split(',');
  const place = PLACES.find(
    (p) =>
      p.city.toLowerCase() === city?.toLowerCase() && (!cc || p.countryCode === cc.toUpperCase()),
  );
  return [
    200,
    place ? [{ name: place.city, lat: place.lat, lon: place.lon, country: place.countryCode }] : [],
  ];
}

export function owmWeather(q: Record<string, string>): [number, unknown] {
  const lat = Number(q.lat);
  const lon = Number(q.lon);
  if (q.lat === undefined || !Number.isFinite(lat) || lat < -90 || lat > 90)
    return [400, { cod: '400', message: 'wrong latitude' }];
  if (q.lon === undefined || !Number.isFinite(lon) || lon < -180 || lon > 180)
    return [400, { cod: '400', message: 'wrong longitude' }];
  const kelvin = kelvinAt(lat, lon);
  const convert = (k: number): number =>
    q.units === 'metric'
      ? round2(k - 273.15)
      : q.units === 'imperial'
        ? round2(((k - 273.15) * 9) / 5 + 32)
        : round2(k);
  const wind = q.units === 'imperial' ? round2(windAt(lat) * 2.23694) : windAt(lat);
  const paris = Math.abs(lat - 48.8592) < 0.01;
  const dt = 1764096000;
  return [
    200,
    {
      coord: { lon, lat },
      weather: paris
        ? [
            { id: 502, main: 'Rain', description: 'heavy intensity rain', icon: '10d' },
            { id: 701, main: 'Mist', description: 'mist', icon: '50d' },
          ]
        : [{ id: 804, main: 'Clouds', description: 'overcast clouds', icon: '04d' }],
      base: 'stations',
      main: {
        temp: convert(kelvin),
        feels_like: convert(kelvin - 2),
        temp_min: convert(kelvin - 0.5),
        temp_max: convert(kelvin + 0.5),
        pressure: 1016,
        humidity: 79,
        sea_level: 1016,
        grnd_level: 1012,
      },
      visibility: 10000,
      wind: { speed: wind, deg: 189, gust: round2(wind * 1.8) },
      ...(paris ? { rain: { '1h': 3.16 } } : {}),
      clouds: { all: 100 },
      dt,
      sys: { type: 2, id: 2031790, country: 'XX', sunrise: dt - 20000, sunset: dt + 20000 },
      timezone: 3600,
      id: 2641549,
      name: 'Somewhere',
      cod: 200,
    },
  ];
}
