"""The service report's forecast: plain arithmetic, no ORM."""


def linear_forecast(volumes):
    """The next value of ``volumes`` on their least-squares line.

    The line through (0, v0) .. (n-1, vn-1) is read at n and rounded, never below 0;
    one value forecasts itself, no value forecasts 0.
    """
    n = len(volumes)
    if not n:
        return 0
    if n == 1:
        return volumes[0]
    mean_x = (n - 1) / 2.0
    mean_y = sum(volumes) / float(n)
    sxx = sum((x - mean_x) ** 2 for x in range(n))
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in enumerate(volumes))
    slope = sxy / sxx
    return max(round(mean_y + slope * (n - mean_x)), 0)
