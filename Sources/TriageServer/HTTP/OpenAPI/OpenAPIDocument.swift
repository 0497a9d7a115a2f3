/// The OpenAPI 3.1 description of the public API, served at `/openapi.yaml`.
/// Compiled in rather than shipped as a resource, so an installed binary can
/// always serve it. `OpenAPIDocumentTests` fails when it and the router disagree.
enum OpenAPIDocument {
    static let yaml = #"""
openapi: 3.1.0
info:
  title: Triage
  version: 0.1.0
  description: |
    The public HTTP API of Triage, an issue tracker back end. Errors are RFC 9457
    problem documents. Timestamps are ISO-8601 in UTC with milliseconds.
    Pages count from 0.
servers:
  - url: /
security:
  - bearer: []
tags:
  - name: operations
  - name: auth
  - name: users
  - name: issues
  - name: comments
  - name: stats
  - name: external
paths:
  /healthz:
    get:
      tags: [operations]
      summary: Liveness
      security: []
      responses:
        "200":
          description: The process serves HTTP.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/HealthStatus"
  /readyz:
    get:
      tags: [operations]
      summary: Readiness (listeners up, store answering within 1 s)
      security: []
      responses:
        "200":
          description: Ready.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/HealthStatus"
        "503":
          $ref: "#/components/responses/Unavailable"
  /metrics:
    get:
      tags: [operations]
      summary: Prometheus metrics
      security: []
      responses:
        "200":
          description: Prometheus text exposition format.
          content:
            text/plain:
              schema:
                type: string
  /openapi.yaml:
    get:
      tags: [operations]
      summary: This document
      security: []
      responses:
        "200":
          description: The OpenAPI document.
          content:
            application/yaml:
              schema:
                type: string
  /api/auth/signup:
    post:
      tags: [auth]
      summary: Create a MEMBER account (when auth.signup is on)
      security: []
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: "#/components/schemas/NewAccount"
      responses:
        "201":
          description: The new user.
          headers:
            Location:
              schema:
                type: string
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/User"
        "400":
          $ref: "#/components/responses/BadRequest"
        "403":
          $ref: "#/components/responses/Forbidden"
        "409":
          $ref: "#/components/responses/Conflict"
        "413":
          $ref: "#/components/responses/TooLarge"
        "429":
          $ref: "#/components/responses/TooManyRequests"
        "503":
          $ref: "#/components/responses/Unavailable"
  /api/auth/login:
    post:
      tags: [auth]
      summary: Exchange a username and password for an access token
      security: []
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: "#/components/schemas/Credentials"
      responses:
        "200":
          description: A bearer token (JWT, HS256).
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Token"
        "400":
          $ref: "#/components/responses/BadRequest"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "413":
          $ref: "#/components/responses/TooLarge"
        "429":
          $ref: "#/components/responses/TooManyRequests"
        "503":
          $ref: "#/components/responses/Unavailable"
  /api/users/me:
    get:
      tags: [users]
      summary: The caller
      responses:
        "200":
          description: The authenticated user.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/User"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "503":
          $ref: "#/components/responses/Unavailable"
  /api/users:
    get:
      tags: [users]
      summary: All users (ADMIN)
      parameters:
        - $ref: "#/components/parameters/page"
        - $ref: "#/components/parameters/size"
      responses:
        "200":
          description: One page of users, by id.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/UserPage"
        "400":
          $ref: "#/components/responses/BadRequest"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "403":
          $ref: "#/components/responses/Forbidden"
        "503":
          $ref: "#/components/responses/Unavailable"
  /api/users/{id}:
    patch:
      tags: [users]
      summary: Change a user's role (ADMIN); the last ADMIN cannot be demoted
      parameters:
        - $ref: "#/components/parameters/id"
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: "#/components/schemas/RoleChange"
      responses:
        "200":
          description: The user with the new role.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/User"
        "400":
          $ref: "#/components/responses/BadRequest"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "403":
          $ref: "#/components/responses/Forbidden"
        "404":
          $ref: "#/components/responses/NotFound"
        "409":
          $ref: "#/components/responses/Conflict"
        "413":
          $ref: "#/components/responses/TooLarge"
        "503":
          $ref: "#/components/responses/Unavailable"
  /api/issues:
    post:
      tags: [issues]
      summary: Report an issue (MEMBER, ADMIN)
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: "#/components/schemas/NewIssue"
      responses:
        "201":
          description: The new issue, OPEN.
          headers:
            Location:
              schema:
                type: string
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Issue"
        "400":
          $ref: "#/components/responses/BadRequest"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "403":
          $ref: "#/components/responses/Forbidden"
        "413":
          $ref: "#/components/responses/TooLarge"
        "503":
          $ref: "#/components/responses/Unavailable"
    get:
      tags: [issues]
      summary: Issues, newest first
      parameters:
        - name: status
          in: query
          schema:
            $ref: "#/components/schemas/IssueStatus"
        - name: assigneeId
          in: query
          schema:
            type: integer
            format: int64
            minimum: 1
        - name: reporterId
          in: query
          schema:
            type: integer
            format: int64
            minimum: 1
        - $ref: "#/components/parameters/page"
        - $ref: "#/components/parameters/size"
      responses:
        "200":
          description: One page of issues (createdAt then id, descending).
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/IssuePage"
        "400":
          $ref: "#/components/responses/BadRequest"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "503":
          $ref: "#/components/responses/Unavailable"
  /api/issues/popular:
    get:
      tags: [issues]
      summary: Top 10 issues of the last 7 days by viewCount + commentCount (cached)
      description: Ties go to the newer issue, then the higher id. Served from a cache for cache.popularTtl seconds.
      responses:
        "200":
          description: At most 10 issues, most popular first.
          content:
            application/json:
              schema:
                type: array
                maxItems: 10
                items:
                  $ref: "#/components/schemas/Issue"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "503":
          $ref: "#/components/responses/Unavailable"
  /api/issues/{id}:
    get:
      tags: [issues]
      summary: One issue; counts a view
      parameters:
        - $ref: "#/components/parameters/id"
      responses:
        "200":
          description: The issue, its view already counted.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Issue"
        "400":
          $ref: "#/components/responses/BadRequest"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "404":
          $ref: "#/components/responses/NotFound"
        "503":
          $ref: "#/components/responses/Unavailable"
    patch:
      tags: [issues]
      summary: Change an issue (reporter, assignee, ADMIN); status changes follow the allowed transitions
      parameters:
        - $ref: "#/components/parameters/id"
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: "#/components/schemas/IssuePatch"
      responses:
        "200":
          description: The changed issue.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Issue"
        "400":
          $ref: "#/components/responses/BadRequest"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "403":
          $ref: "#/components/responses/Forbidden"
        "404":
          $ref: "#/components/responses/NotFound"
        "409":
          $ref: "#/components/responses/Conflict"
        "413":
          $ref: "#/components/responses/TooLarge"
        "503":
          $ref: "#/components/responses/Unavailable"
    delete:
      tags: [issues]
      summary: Delete an issue with its comments (reporter, ADMIN)
      parameters:
        - $ref: "#/components/parameters/id"
      responses:
        "204":
          description: Deleted.
        "400":
          $ref: "#/components/responses/BadRequest"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "403":
          $ref: "#/components/responses/Forbidden"
        "404":
          $ref: "#/components/responses/NotFound"
        "503":
          $ref: "#/components/responses/Unavailable"
  /api/issues/{id}/comments:
    get:
      tags: [comments]
      summary: An issue's comments, oldest first
      parameters:
        - $ref: "#/components/parameters/id"
        - $ref: "#/components/parameters/page"
        - $ref: "#/components/parameters/size"
      responses:
        "200":
          description: One page of comments.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/CommentPage"
        "400":
          $ref: "#/components/responses/BadRequest"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "404":
          $ref: "#/components/responses/NotFound"
        "503":
          $ref: "#/components/responses/Unavailable"
    post:
      tags: [comments]
      summary: Comment on an issue (MEMBER, ADMIN)
      parameters:
        - $ref: "#/components/parameters/id"
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: "#/components/schemas/CommentBody"
      responses:
        "201":
          description: The new comment.
          headers:
            Location:
              schema:
                type: string
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Comment"
        "400":
          $ref: "#/components/responses/BadRequest"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "403":
          $ref: "#/components/responses/Forbidden"
        "404":
          $ref: "#/components/responses/NotFound"
        "413":
          $ref: "#/components/responses/TooLarge"
        "503":
          $ref: "#/components/responses/Unavailable"
  /api/comments/{id}:
    patch:
      tags: [comments]
      summary: Edit a comment (author, ADMIN)
      parameters:
        - $ref: "#/components/parameters/id"
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: "#/components/schemas/CommentBody"
      responses:
        "200":
          description: The edited comment.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Comment"
        "400":
          $ref: "#/components/responses/BadRequest"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "403":
          $ref: "#/components/responses/Forbidden"
        "404":
          $ref: "#/components/responses/NotFound"
        "413":
          $ref: "#/components/responses/TooLarge"
        "503":
          $ref: "#/components/responses/Unavailable"
    delete:
      tags: [comments]
      summary: Delete a comment (author, ADMIN)
      parameters:
        - $ref: "#/components/parameters/id"
      responses:
        "204":
          description: Deleted.
        "400":
          $ref: "#/components/responses/BadRequest"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "403":
          $ref: "#/components/responses/Forbidden"
        "404":
          $ref: "#/components/responses/NotFound"
        "503":
          $ref: "#/components/responses/Unavailable"
  /api/stats/daily:
    get:
      tags: [stats]
      summary: Aggregated days in [from, to], ascending; only days that have been aggregated
      parameters:
        - name: from
          in: query
          required: true
          schema:
            type: string
            format: date
        - name: to
          in: query
          required: true
          schema:
            type: string
            format: date
      responses:
        "200":
          description: One entry per aggregated day (dates in stats.timezone).
          content:
            application/json:
              schema:
                type: array
                items:
                  $ref: "#/components/schemas/DailyStats"
        "400":
          $ref: "#/components/responses/BadRequest"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "503":
          $ref: "#/components/responses/Unavailable"
  /api/external/example:
    get:
      tags: [external]
      summary: The upstream's JSON (external.url), or a degraded fallback; never an error for the caller
      description: |
        Per-attempt timeouts, up to external.retries retries with a fixed delay for transient failures,
        an overall deadline, and a circuit breaker. On failure the answer is still 200, marked degraded.
      responses:
        "200":
          description: The upstream body as it came (X-Triage-Degraded false), or the fallback (X-Triage-Degraded true).
          headers:
            X-Triage-Degraded:
              required: true
              schema:
                type: string
                enum: ["true", "false"]
          content:
            application/json:
              schema:
                anyOf:
                  - $ref: "#/components/schemas/ExternalFallback"
                  - type: object
                    description: The upstream's JSON object, unchanged.
        "401":
          $ref: "#/components/responses/Unauthorized"
components:
  securitySchemes:
    bearer:
      type: http
      scheme: bearer
      bearerFormat: JWT
  parameters:
    id:
      name: id
      in: path
      required: true
      schema:
        type: integer
        format: int64
        minimum: 1
    page:
      name: page
      in: query
      description: Page number, from 0.
      schema:
        type: integer
        minimum: 0
        maximum: 1000000
        default: 0
    size:
      name: size
      in: query
      description: Items per page.
      schema:
        type: integer
        minimum: 1
        maximum: 100
        default: 20
  responses:
    BadRequest:
      description: Malformed or invalid input; `detail` names the field.
      content:
        application/problem+json:
          schema:
            $ref: "#/components/schemas/Problem"
    Unauthorized:
      description: Missing, invalid or expired bearer token, or wrong credentials.
      headers:
        WWW-Authenticate:
          schema:
            type: string
      content:
        application/problem+json:
          schema:
            $ref: "#/components/schemas/Problem"
    Forbidden:
      description: The caller's role or relation to the resource does not allow this.
      content:
        application/problem+json:
          schema:
            $ref: "#/components/schemas/Problem"
    NotFound:
      description: No such resource.
      content:
        application/problem+json:
          schema:
            $ref: "#/components/schemas/Problem"
    Conflict:
      description: Not allowed in the resource's current state (taken username, status transition, last ADMIN).
      content:
        application/problem+json:
          schema:
            $ref: "#/components/schemas/Problem"
    TooLarge:
      description: The body is over 1 MiB.
      content:
        application/problem+json:
          schema:
            $ref: "#/components/schemas/Problem"
    TooManyRequests:
      description: Too many attempts from this client address (auth.attemptsPerMinute, auth.attemptBurst), or too many failed logins for this username; see Retry-After.
      headers:
        Retry-After:
          schema:
            type: integer
      content:
        application/problem+json:
          schema:
            $ref: "#/components/schemas/Problem"
    Unavailable:
      description: The database is unavailable or the daemon is not ready; see Retry-After.
      headers:
        Retry-After:
          schema:
            type: integer
      content:
        application/problem+json:
          schema:
            $ref: "#/components/schemas/Problem"
  schemas:
    Problem:
      type: object
      required: [type, title, status, detail]
      properties:
        type:
          type: string
        title:
          type: string
        status:
          type: integer
        detail:
          type: string
    HealthStatus:
      type: object
      required: [status]
      properties:
        status:
          type: string
          enum: [ok, ready]
    Role:
      type: string
      enum: [ADMIN, MEMBER, VIEWER]
    IssueStatus:
      type: string
      enum: [OPEN, IN_PROGRESS, RESOLVED, CLOSED]
    IssuePriority:
      type: string
      enum: [LOW, MEDIUM, HIGH, CRITICAL]
    Credentials:
      type: object
      required: [username, password]
      properties:
        username:
          type: string
        password:
          type: string
    NewAccount:
      type: object
      required: [username, password]
      properties:
        username:
          type: string
          pattern: "^[A-Za-z0-9._-]{3,32}$"
          description: Case-insensitive; stored in lower case.
        password:
          type: string
          minLength: 8
          maxLength: 72
          description: 8 characters to 72 bytes (bcrypt reads no further).
    Token:
      type: object
      required: [accessToken, tokenType, expiresIn]
      properties:
        accessToken:
          type: string
        tokenType:
          type: string
          enum: [Bearer]
        expiresIn:
          type: integer
          description: Seconds until the token expires.
    RoleChange:
      type: object
      required: [role]
      properties:
        role:
          $ref: "#/components/schemas/Role"
    User:
      type: object
      required: [id, username, role, createdAt]
      properties:
        id:
          type: integer
          format: int64
        username:
          type: string
        role:
          $ref: "#/components/schemas/Role"
        createdAt:
          type: string
          format: date-time
    NewIssue:
      type: object
      required: [title, description]
      properties:
        title:
          type: string
          minLength: 1
          maxLength: 200
        description:
          type: string
          description: Up to 64 KiB.
        priority:
          $ref: "#/components/schemas/IssuePriority"
        assigneeId:
          type: [integer, "null"]
          format: int64
          minimum: 1
    IssuePatch:
      type: object
      description: Absent fields stay as they are; "assigneeId" null unassigns.
      properties:
        title:
          type: string
          minLength: 1
          maxLength: 200
        description:
          type: string
        status:
          $ref: "#/components/schemas/IssueStatus"
        priority:
          $ref: "#/components/schemas/IssuePriority"
        assigneeId:
          type: [integer, "null"]
          format: int64
          minimum: 1
    Issue:
      type: object
      required: [id, title, description, status, priority, reporterId, assigneeId, viewCount, commentCount, createdAt, updatedAt]
      properties:
        id:
          type: integer
          format: int64
        title:
          type: string
        description:
          type: string
        status:
          $ref: "#/components/schemas/IssueStatus"
        priority:
          $ref: "#/components/schemas/IssuePriority"
        reporterId:
          type: integer
          format: int64
        assigneeId:
          type: [integer, "null"]
          format: int64
        viewCount:
          type: integer
        commentCount:
          type: integer
        createdAt:
          type: string
          format: date-time
        updatedAt:
          type: string
          format: date-time
    CommentBody:
      type: object
      required: [content]
      properties:
        content:
          type: string
          minLength: 1
          description: Up to 64 KiB.
    Comment:
      type: object
      required: [id, issueId, authorId, content, createdAt, updatedAt]
      properties:
        id:
          type: integer
          format: int64
        issueId:
          type: integer
          format: int64
        authorId:
          type: integer
          format: int64
        content:
          type: string
        createdAt:
          type: string
          format: date-time
        updatedAt:
          type: string
          format: date-time
    DailyStats:
      type: object
      required: [date, createdCount, resolvedCount, commentCount, aggregatedAt]
      properties:
        date:
          type: string
          format: date
        createdCount:
          type: integer
          minimum: 0
        resolvedCount:
          type: integer
          minimum: 0
          description: Distinct issues that entered RESOLVED or CLOSED that day.
        commentCount:
          type: integer
          minimum: 0
        aggregatedAt:
          type: string
          format: date-time
    ExternalFallback:
      type: object
      required: [status, degraded, message, userId, id, title, body]
      description: The last good upstream body (with staleSeconds) or the default one, flat, beside the fallback fields.
      properties:
        status:
          type: string
          enum: [fallback]
        degraded:
          type: boolean
          enum: [true]
        message:
          type: string
        staleSeconds:
          type: integer
          minimum: 0
        userId:
          type: integer
        id:
          type: integer
        title:
          type: string
        body:
          type: string
    PageFields:
      type: object
      required: [page, size, totalItems, totalPages]
      properties:
        page:
          type: integer
        size:
          type: integer
        totalItems:
          type: integer
        totalPages:
          type: integer
    UserPage:
      allOf:
        - $ref: "#/components/schemas/PageFields"
        - type: object
          required: [items]
          properties:
            items:
              type: array
              items:
                $ref: "#/components/schemas/User"
    IssuePage:
      allOf:
        - $ref: "#/components/schemas/PageFields"
        - type: object
          required: [items]
          properties:
            items:
              type: array
              items:
                $ref: "#/components/schemas/Issue"
    CommentPage:
      allOf:
        - $ref: "#/components/schemas/PageFields"
        - type: object
          required: [items]
          properties:
            items:
              type: array
              items:
                $ref: "#/components/schemas/Comment"
"""#
}
