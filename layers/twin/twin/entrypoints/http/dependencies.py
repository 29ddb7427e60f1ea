"""How routes reach the services: the app built them once and keeps them in its state."""

from typing import Annotated

from fastapi import Depends, Request

from twin.composition import Services


def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(_services)]
