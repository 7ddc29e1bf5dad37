import { Body, Controller, Post } from '@nestjs/common';
import { AuthenticatedUser, CurrentUser, RegisterAccountHandler, Roles } from '@praxis/identity';
import { RegisterResearcherDto } from './identity.dto';

@Controller('api/researchers')
export class ResearchersController {
  constructor(private readonly register: RegisterAccountHandler) {}

  /** 201 {id, email, role}; 409 when the email is taken. */
  @Roles('admin')
  @Post()
  create(@Body() body: RegisterResearcherDto, @CurrentUser() user: AuthenticatedUser) {
    return this.register.execute({ email: body.email, password: body.password, role: 'researcher' }, { actorId: user.id });
  }
}
